import { loadLocalEnvFile } from './local-env-file';

// Imported first by main.ts, before any module that may read the environment as it loads.
loadLocalEnvFile();
