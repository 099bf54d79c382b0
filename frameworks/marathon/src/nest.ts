/*
 * NestJS 12 ships as ES modules only. Node ≥ 20.19 loads them from CommonJS (require(esm)), but
 * TypeScript's `module: node16` flags such imports (TS1479), so Marathon takes Nest through this one file.
 */
// @ts-ignore TS1479: see above
export { Inject, Injectable, Module } from '@nestjs/common';
// @ts-ignore TS1479: see above
export type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
// @ts-ignore TS1479: see above
export { NestFactory } from '@nestjs/core';
