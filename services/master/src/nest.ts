/*
 * NestJS 12 ships as ES modules only. Node ≥ 20.19 loads them from CommonJS (require(esm)), but
 * TypeScript's `module: node16` flags such imports (TS1479), so the master takes Nest through this one
 * file. With `module: node20` in tsconfig the ts-ignores below become unnecessary.
 */
// @ts-ignore TS1479: see above
export { Controller, Get, Inject, Injectable, Module, Param, Query, Req, Res } from '@nestjs/common';
// @ts-ignore TS1479: see above
export type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
// @ts-ignore TS1479: see above
export { NestFactory } from '@nestjs/core';
