/*
 * NestJS 12 ships as ES modules only; Node ≥ 20.19 loads them from CommonJS (require(esm)) and
 * tsconfig's `module: node20` type-checks that. Nest is taken through this one file so the rest of the
 * app does not depend on how it is packaged.
 */
export { Inject, Injectable, Module } from '@nestjs/common';
export type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
export { NestFactory } from '@nestjs/core';
