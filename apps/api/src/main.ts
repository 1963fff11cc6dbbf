// `npm start -w @blip/api`: load settings, start, and shut down cleanly on SIGTERM/SIGINT.
import { type App, startApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { describeStartupFailure } from './startup-error.js';

const started = performance.now();
let config: Config | undefined;
let app: App;
try {
  config = loadConfig();
  const models = config.models;
  app = await startApp(config, {
    onListening: (url) => console.log(JSON.stringify({ event: 'loading', url, models })),
  });
} catch (err) {
  // One line that says what to fix, not a stack dump; exit 1 so supervisors see the failure.
  console.error(JSON.stringify(describeStartupFailure(err, config?.dataDir)));
  process.exit(1);
}
const models = app.services.models.list().map((m) => `${m.name} (${m.precision})`);
// One JSON line: people read it, and the crash test reads the port from it.
console.log(
  JSON.stringify({
    event: 'listening',
    url: app.url,
    graphql: `${app.url}/graphql`,
    metrics: app.metricsUrl ? `${app.metricsUrl}/metrics` : null,
    models,
    interruptedAtStart: app.interruptedAtStart,
    startupMs: Math.round(performance.now() - started),
  }),
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ event: 'shutdown', signal }));
  app.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
