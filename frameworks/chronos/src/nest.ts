/*
 * The NestJS symbols Chronos uses, re-exported from one place. NestJS 12 ships as ES modules only; Node
 * 20.19+ loads them from our CommonJS output (require of ESM), but TypeScript's `module: node16` flags
 * such imports (TS1479). The check is silenced here and nowhere else; types flow through unchanged.
 */
// @ts-ignore TS1479: CommonJS output requiring an ES module (supported by Node >= 20.19)
export { Controller, Delete, Get, Inject, Module, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
// @ts-ignore TS1479: see above
export type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
// @ts-ignore TS1479: see above
export { NestFactory } from '@nestjs/core';
