/**
 * The end-to-end tier's order: vitest's own (slowest known first) within each group, and the browser tests
 * after every API and workflow test, so a broken API shows as an API failure before it shows as a screen's.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const isBrowser = (spec: TestSpecification) => /[\\/]test[\\/]browser[\\/]/.test(spec.moduleId);

export default class BrowserLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((f) => !isBrowser(f)), ...sorted.filter(isBrowser)];
  }
}
