export { answerPacket, answerMessage, errorResponse, DEFAULT_MAX_UDP_SIZE, type AnswerOptions, type AnswerDecision } from './answer';
export { resolveInZone, type Resolution } from './resolve';
export { classify, cleanWild, isAtOrBelow, type ZoneMatch } from './zones';
export { lookupHosts, lookupServices, axfr, enumerate, type HostEntry, type ServiceEntry } from './http-api';
