import { main } from '../test/faults/cli';

/** `npm run faults -- --schedules N …`: the seeded fault harness (test/faults, docs/reliability.md). */
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
