// The language server's entry point, bundled to dist/server.js. `createConnection` with
// ProposedFeatures reads the transport from the command line (`--stdio`, `--node-ipc`,
// `--socket=N`), so the same bundle serves VS Code and the stdio integration tests.

import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
