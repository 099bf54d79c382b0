/*
 * NestJS 12 ships as ES modules only. Node ≥ 20.19 loads them from CommonJS (require(esm)), but
 * TypeScript's `module: node16` flags such imports (TS1479), so the DNS service takes Nest through this
 * one file (as the master does).
 */
// @ts-ignore TS1479: see above
export { Controller, Get, Header, Inject, Module, Param, Query, Req, Res } from '@nestjs/common';
// @ts-ignore TS1479: see above
export type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
// @ts-ignore TS1479: see above
export { NestFactory } from '@nestjs/core';
