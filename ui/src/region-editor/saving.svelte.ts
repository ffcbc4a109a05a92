// Saving a region-editor form through the core, the same for every form: the state a form
// shows (saving, the problems the core placed on its fields, a failure) and the one way to
// send its edits.
import { editRegion } from '../ipc/commands';
import type { CoreError, EditProblem, RegionEdit } from '../ipc/types';

export class EditSave {
  saving = $state(false);
  problems: EditProblem[] = $state([]);
  failure: CoreError | undefined = $state();

  /** Nothing to show (a new row selected, or the form cancelled). */
  clear() {
    this.problems = [];
    this.failure = undefined;
  }

  /** Sends the edits in order and stops at the first the core refuses (its problems are
   *  shown); what was saved, if anything, goes to `onSaved` as one line. */
  async save(edits: RegionEdit[], onSaved: (change: string) => void) {
    this.saving = true;
    this.clear();
    try {
      const changes: string[] = [];
      for (const edit of edits) {
        const r = await editRegion(edit);
        if (r.outcome === 'refused') {
          this.problems = r.problems;
          break;
        }
        changes.push(r.change);
      }
      if (changes.length) onSaved(changes.join('; '));
    } catch (e) {
      this.failure = e as CoreError;
    } finally {
      this.saving = false;
    }
  }
}
