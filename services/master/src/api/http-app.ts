import type { INestApplication } from '../nest';
import type { Leadership } from '../leader/leadership';
import type { MasterIdentity } from '../identity';
import type { HttpRequest, HttpResponse, Next } from './http-types';
import { standbyAnswer } from './standby';

/** Puts the standby rule (standby.ts) in front of every route. */
export function installStandbyGate(app: INestApplication, leadership: Leadership, identity: MasterIdentity): void {
  app.use((req: HttpRequest, res: HttpResponse, next: Next) => {
    const answer = standbyAnswer(req.path, req.originalUrl, leadership.isLeader, leadership.current, identity.id);
    if (answer.kind === 'local') return next();
    if (answer.kind === 'redirect') {
      res.setHeader('Location', answer.location);
      res.status(307).end();
      return;
    }
    res.status(503).json({ message: 'no elected master' });
  });
}
