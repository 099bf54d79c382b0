import type Docker from 'dockerode';
import { dockerErrorMessage, dockerStatusCode } from './docker-endpoint';

export class PullError extends Error {}

/**
 * Makes sure an image is present: inspects it, pulls it when absent (or always with force). Concurrent
 * launches of one image share one pull. Progress goes, one line per step of each layer (not every byte
 * count), to the callback of the launch that started the pull.
 */
export class ImagePuller {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly docker: Docker) {}

  async ensure(image: string, force: boolean, progress: (line: string) => void): Promise<void> {
    if (!force && (await this.present(image))) return;
    let pull = this.inflight.get(image);
    if (pull) {
      progress(`Waiting for the pull of ${image} already in progress`);
    } else {
      pull = this.pull(image, progress).finally(() => this.inflight.delete(image));
      this.inflight.set(image, pull);
    }
    await pull;
  }

  private async present(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (e) {
      if (dockerStatusCode(e) === 404) return false;
      throw new PullError(`could not inspect image ${image}: ${dockerErrorMessage(e)}`);
    }
  }

  private async pull(image: string, progress: (line: string) => void): Promise<void> {
    progress(`Pulling image ${image}`);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(image);
    } catch (e) {
      throw new PullError(dockerErrorMessage(e));
    }
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      let failure: string | undefined;
      const seen = new Set<string>();
      const line = (text: string): void => {
        if (!text.trim()) return;
        let ev: { status?: string; id?: string; error?: string; errorDetail?: { message?: string } };
        try {
          ev = JSON.parse(text) as typeof ev;
        } catch {
          return;
        }
        if (ev.error || ev.errorDetail?.message) {
          failure ??= ev.errorDetail?.message ?? ev.error;
          return;
        }
        if (!ev.status) return;
        const key = `${ev.id ?? ''} ${ev.status}`;
        if (seen.has(key)) return;
        seen.add(key);
        progress(ev.id ? `${ev.id}: ${ev.status}` : ev.status);
      };
      stream.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          line(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      stream.on('error', (e: unknown) => reject(new PullError(dockerErrorMessage(e))));
      stream.on('end', () => {
        line(buf);
        if (failure) reject(new PullError(failure));
        else resolve();
      });
    });
  }
}
