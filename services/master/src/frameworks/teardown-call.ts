import { Injectable } from '../nest';
import { AgoraError } from '@agora/contracts';
import { MasterState } from '../registry/master-state';
import { FrameworkTeardown } from './teardown';

/** Teardown requested by the framework (or an operator through it): idempotent for torn-down ids. */
@Injectable()
export class TeardownCall {
  constructor(
    private readonly state: MasterState,
    private readonly teardown: FrameworkTeardown,
  ) {}

  handle(frameworkId: string): Record<string, never> {
    if (this.state.tornDown.has(frameworkId)) return {};
    const fw = this.state.frameworks.get(frameworkId);
    if (!fw) throw new AgoraError('UNKNOWN_FRAMEWORK', `framework ${frameworkId} is not known to this master`);
    this.teardown.teardown(fw, 'teardown requested', Date.now());
    return {};
  }
}
