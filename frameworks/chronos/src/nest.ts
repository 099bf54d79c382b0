/*
 * The NestJS symbols Chronos uses, re-exported from one place. NestJS 12 ships as ES modules only; Node
 * 20.19+ loads them from our CommonJS output (require of ESM) and tsconfig's `module: node20` type-checks it.
 */
export { Controller, Delete, Get, Inject, Module, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
export type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
export { NestFactory } from '@nestjs/core';
