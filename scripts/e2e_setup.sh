#!/usr/bin/env bash
# Installs the real VS Code that the end-to-end tests drive: code-server (VS Code's workbench
# and its Node extension host) from npm, pinned, into the git-ignored folder .cache/code-server.
# It is kept out of package.json because its install needs Debian packages, a C++ toolchain and
# a pre-filled ripgrep download cache; a plain `npm ci` on a fresh machine must not depend on it.
#
# Idempotent: a finished install leaves a marker file and later runs return at once. An
# unfinished one is built in a staging folder and only moved into place when it succeeded.
# Usage: scripts/e2e_setup.sh   (prints the code-server entry point on its last line)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

version=4.100.3
dest="$root/.cache/code-server"
marker="$dest/.installed-$version"
entry="$dest/node_modules/code-server/out/node/entry.js"

if [ -f "$marker" ] && [ -f "$entry" ]; then
  echo "code-server $version already installed in .cache/code-server"
  echo "$entry"
  exit 0
fi

# The Debian packages the install and the tests need. Each missing one is named with the
# package that provides it, so the message says exactly what to install.
missing=()
command -v chromium >/dev/null || missing+=("chromium (the browser that renders the workbench)")
command -v rg >/dev/null || missing+=("ripgrep (VS Code's search binary)")
command -v krb5-config >/dev/null || missing+=("libkrb5-dev (headers for the kerberos native module)")
command -v make >/dev/null || missing+=("make (node-gyp builds native modules)")
command -v g++ >/dev/null || missing+=("g++ (node-gyp builds native modules)")
command -v python3 >/dev/null || missing+=("python3 (node-gyp)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e_setup: missing tools needed to install code-server:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  echo "Install them with: apt-get install -y chromium libkrb5-dev ripgrep build-essential python3" >&2
  exit 2
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  echo "e2e_setup: code-server $version requires Node 20; this is Node $(node --version)" >&2
  exit 2
fi
nodedir=""
for d in /usr /usr/local "$(dirname "$(dirname "$(command -v node)")")"; do
  if [ -f "$d/include/node/node.h" ]; then nodedir=$d; break; fi
done
if [ -z "$nodedir" ]; then
  echo "e2e_setup: no Node headers (include/node/node.h) found for building native modules;" >&2
  echo "  install Debian's libnode-dev or a Node distribution with headers." >&2
  exit 2
fi

start=$(date +%s)
stage="$root/.cache/code-server.staging"
rm -rf "$stage"
mkdir -p "$stage/tmp"
printf '{ "name": "netspec-e2e-code-server", "private": true }\n' >"$stage/package.json"

# @vscode/ripgrep's postinstall downloads rg from GitHub into os.tmpdir(); offline it finds
# this archive of Debian's binary in its cache instead.
rg_cache="$stage/tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache"
tar czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg

echo "installing code-server $version into .cache/code-server (about 75 s, 300 MB)..."
# code-server's postinstall runs `npm install` again inside lib/vscode and lib/vscode/extensions
# to build native modules. npm 11 skips dependency install scripts unless they are allowed, and
# the nested installs only see settings passed through the environment, so every setting is an
# npm_config_* variable. Older npm versions ignore the ones they do not know.
log="$root/.cache/code-server-install.log"
if ! (
  cd "$stage" &&
    TMPDIR="$stage/tmp" \
      npm_config_unsafe_perm=true \
      npm_config_yes=true \
      npm_config_nodedir="$nodedir" \
      npm_config_dangerously_allow_all_scripts=true \
      npm_config_foreground_scripts=true \
      npm_config_audit=false \
      npm_config_fund=false \
      npm_config_update_notifier=false \
      npm install --no-package-lock "code-server@$version"
) >"$log" 2>&1; then
  echo "e2e_setup: npm install code-server@$version failed; the last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi

# A skipped postinstall leaves no lib/vscode/node_modules; the workbench would then fail to
# start with a confusing error, so say so here.
cs="$stage/node_modules/code-server"
for need in lib/vscode/node_modules lib/vscode/node_modules.asar lib/vscode/extensions/node_modules; do
  if [ ! -e "$cs/$need" ]; then
    echo "e2e_setup: code-server's postinstall did not run completely ($need is missing); see $log" >&2
    exit 1
  fi
done

rm -rf "$dest" "$stage/tmp"
mv "$stage" "$dest"
touch "$marker"
echo "installed code-server $version in $(($(date +%s) - start)) s"
echo "$entry"
