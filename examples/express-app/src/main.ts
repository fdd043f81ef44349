import { isAuthError } from "@tessera/core";
import { ConfigError, createStore, readConfig } from "./config.js";
import type { RunningServer } from "./server.js";
import { startServer, startupMessage } from "./server.js";

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const running: RunningServer = await startServer({
    port: config.port,
    host: config.host,
    secret: config.secret,
    store: createStore(config.store),
  });
  for (const line of startupMessage(running)) console.log(line);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C means "now".
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: shutting down`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  // Configuration mistakes (including a short TESSERA_SECRET) read better without a stack trace.
  const plain = error instanceof ConfigError || (isAuthError(error) && error.code === "invalid_config");
  console.error(plain ? (error as Error).message : error);
  process.exitCode = 1;
});
