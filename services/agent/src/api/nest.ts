/**
 * The NestJS symbols the agent's HTTP API uses, from one place. NestJS 12 ships as ES modules only;
 * Node ≥ 20.19 loads them from our CommonJS output (require of ESM), which `module: node20` accepts.
 */
export { Controller, Get, Inject, Module, Query, Res, HttpException, type DynamicModule, type INestApplication, type LoggerService } from '@nestjs/common';
export { NestFactory } from '@nestjs/core';
