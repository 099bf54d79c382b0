import { SERVICE_NAMES } from '@agora/contracts';
import type { ConsulClient } from '@agora/consul';

/** GET /agora/services: where the UI finds the other components (their HTTP APIs), from Consul's catalog. */
export interface AgoraServices {
  /** This master's URL and the leader's (null while nobody leads): a UI opened on a standby moves over. */
  self: string;
  leader: string | null;
  masters: string[];
  marathon: string[];
  chronos: string[];
  dns: string[];
  /** Catalog lookups that failed (the lists above are then empty), so the UI can say why. */
  errors: string[];
}

export interface CatalogEntry {
  id: string;
  address: string;
  port: number;
  meta: Record<string, string>;
}

type Catalog = Pick<ConsulClient, 'healthyServices'>;

/** Each entry's HTTP URL. DNS registers its DNS port; its HTTP API port is in `meta.httpPort`. */
export function serviceUrls(kind: 'master' | 'marathon' | 'chronos' | 'dns', entries: readonly CatalogEntry[]): string[] {
  const urls = entries.flatMap((e) => {
    const port = kind === 'dns' ? Number(e.meta.httpPort) : e.port;
    if (!Number.isInteger(port) || port <= 0 || e.address === '') return [];
    const host = e.address.includes(':') ? `[${e.address}]` : e.address;
    return [`http://${host}:${port}`];
  });
  return [...new Set(urls)].sort();
}

/** How long a catalog answer is reused: every open UI polls this, Consul need not see each poll. */
const CACHE_MS = 2000;

/**
 * The healthy (passing) Agora services in Consul's catalog, cached for a moment. Reads the catalog
 * only, so any master answers it, leading or not.
 */
export class ServiceDirectory {
  private cached: { at: number; value: Promise<Omit<AgoraServices, 'self' | 'leader'>> } | undefined;

  constructor(
    private readonly consul: Catalog,
    private readonly now: () => number = Date.now,
  ) {}

  lookup(): Promise<Omit<AgoraServices, 'self' | 'leader'>> {
    const t = this.now();
    if (!this.cached || t - this.cached.at >= CACHE_MS) this.cached = { at: t, value: this.load() };
    return this.cached.value;
  }

  private async load(): Promise<Omit<AgoraServices, 'self' | 'leader'>> {
    const errors: string[] = [];
    const one = async (kind: 'master' | 'marathon' | 'chronos' | 'dns'): Promise<string[]> => {
      try {
        return serviceUrls(kind, await this.consul.healthyServices(SERVICE_NAMES[kind]));
      } catch (e) {
        errors.push(`${SERVICE_NAMES[kind]}: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
    };
    const [masters, marathon, chronos, dns] = await Promise.all([one('master'), one('marathon'), one('chronos'), one('dns')]);
    return { masters, marathon, chronos, dns, errors };
  }
}
