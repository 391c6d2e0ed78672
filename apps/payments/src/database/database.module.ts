import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { PAYMENTS_DATA_SOURCE } from './database.constants';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';
import { UnitOfWork } from './unit-of-work';

/**
 * The module's own data source (`payments`, migrated at start) and its {@link UnitOfWork}; imported
 * by every module that writes through the unit of work. The data source's token is global, as
 * TypeOrmModule.forRoot makes it, under the name `payments` only.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      name: PAYMENTS_DATA_SOURCE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database),
        autoLoadEntities: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
      // Migrations run at start, before anything else touches the database.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options as DataSourceOptions).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
  providers: [UnitOfWork],
  exports: [UnitOfWork],
})
export class DatabaseModule {}
