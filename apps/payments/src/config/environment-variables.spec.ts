import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables, validateEnvironment } from './environment-variables';

/** Every variable the schema declares, in its order. */
const schemaVariables = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
      .map((metadata) => metadata.propertyName),
  ),
];

/** `# NAME=default` lines of .env.example, as an environment. */
function envExample(): Record<string, string> {
  const text = readFileSync(join(process.cwd(), '.env.example'), 'utf8');
  return Object.fromEntries([...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => [name, value]));
}

describe(EnvironmentVariables.name, () => {
  it('.env.example lists exactly the variables the schema knows, each with its default', () => {
    const example = envExample();

    expect(Object.keys(example).sort()).toEqual([...schemaVariables].sort());
    // Uncommenting every line changes nothing (LOG_FORMAT's default depends on the terminal).
    expect(validateEnvironment(example)).toEqual(validateEnvironment({ LOG_FORMAT: example.LOG_FORMAT }));
  });

  it('docs/configuration.md describes every variable', () => {
    const docs = readFileSync(join(process.cwd(), 'docs', 'configuration.md'), 'utf8');

    expect(schemaVariables.filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });

  it('names every wrong variable at once, each in words an operator can act on', () => {
    expect(() =>
      validateEnvironment({
        PORT: '80.5',
        LOG_LEVEL: 'verbose',
        JANITOR_ENABLED: 'yes',
        SUBSCRIPTION_RETRY_DAYS: '1,,3',
        PAYSTORY_BASE_URL: 'pg.example',
      }),
    ).toThrow(
      [
        'Configuration error: PORT must be a whole number from 0 to 65535',
        'Configuration error: PAYSTORY_BASE_URL is not a URL',
        'Configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace',
        'Configuration error: JANITOR_ENABLED must be one of true, false',
        'Configuration error: SUBSCRIPTION_RETRY_DAYS must be a comma-separated list of positive day counts, e.g. 1,3,5',
      ].join('\n'),
    );
  });

  it('takes an empty variable for unset, and leaves out the variables it does not know', () => {
    const variables = validateEnvironment({ PORT: '', PAYSTORY_BASE_URL: '', HOME: '/root' });

    expect(variables).toMatchObject({ PORT: 3000, PAYSTORY_BASE_URL: undefined });
    expect(variables).not.toHaveProperty('HOME');
  });

  it('reads numbers, flags, lists and URLs into typed values', () => {
    expect(
      validateEnvironment({
        PAYSTORY_TIMEOUT_MS: '2000',
        JANITOR_ENABLED: 'false',
        PAYSTORY_NOTI_ALLOW: ' 10.0.0.1 ,, 10.0.0.2 ',
        SUBSCRIPTION_RETRY_DAYS: '2, 4',
        PUBLIC_BASE_URL: 'https://pay.example/',
      }),
    ).toMatchObject({
      PAYSTORY_TIMEOUT_MS: 2_000,
      JANITOR_ENABLED: false,
      PAYSTORY_NOTI_ALLOW: ['10.0.0.1', '10.0.0.2'],
      SUBSCRIPTION_RETRY_DAYS: [2, 4],
      PUBLIC_BASE_URL: 'https://pay.example',
    });
  });
});
