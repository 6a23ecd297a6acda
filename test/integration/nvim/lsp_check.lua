-- Drives the Netspec language server from Neovim's built-in LSP client (Neovim 0.7), an
-- editor that shares no code with VS Code's client. Started by neovim.test.ts as
--   nvim --headless --clean -n -c "luafile lsp_check.lua" FILE
-- with the environment naming the server, the output file, how many diagnostics to wait
-- for and where to ask for a hover. It writes one JSON object and quits; any failure is
-- written as {"error": ...} and ends with a non-zero exit status.

local server = os.getenv('NETSPEC_SERVER')
local node = os.getenv('NETSPEC_NODE') or 'node'
local out_path = os.getenv('NETSPEC_OUT')
local expect = tonumber(os.getenv('NETSPEC_EXPECT') or '1')
local hover_line = tonumber(os.getenv('NETSPEC_HOVER_LINE') or '0')
local hover_char = tonumber(os.getenv('NETSPEC_HOVER_CHAR') or '0')

local function write_result(tbl)
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(tbl))
  f:close()
end

local function run()
  vim.bo.filetype = 'netspec'
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'netspec',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.getcwd(),
  })
  if not client_id then
    error('vim.lsp.start_client returned nil')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local got = vim.wait(20000, function()
    return #vim.diagnostic.get(bufnr) >= expect
  end, 50)
  if not got then
    error('timed out waiting for ' .. expect .. ' diagnostics; got ' .. #vim.diagnostic.get(bufnr))
  end
  -- Let a late extra diagnostic arrive, so the test sees the server's full list.
  vim.wait(300)

  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(diagnostics, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      code = d.code or lsp.code,
    })
  end

  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = hover_line, character = hover_char },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 10000)
  if not responses then
    error('hover request failed: ' .. tostring(err))
  end
  local hover_text = nil
  for _, resp in pairs(responses) do
    local result = resp.result
    if result and result.contents then
      local c = result.contents
      if type(c) == 'string' then
        hover_text = c
      elseif c.value then
        hover_text = c.value
      else
        local parts = {}
        for _, item in ipairs(c) do
          table.insert(parts, type(item) == 'string' and item or item.value)
        end
        hover_text = table.concat(parts, '\n')
      end
    end
  end

  write_result({ diagnostics = diagnostics, hover = hover_text or vim.NIL })
  vim.lsp.stop_client(client_id)
end

local ok, err = pcall(run)
if ok then
  vim.cmd('qall!')
else
  pcall(write_result, { error = tostring(err) })
  vim.cmd('cquit! 1')
end
