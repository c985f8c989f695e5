// Vitest global setup of the answer-vs-document check: every server the tests start (in the test processes and in
// the children they spawn) records its answers into one folder (SMARTQUEUE_API_RECORD_DIR); when the run ends,
// each answer is checked against the document of the server that gave it, and any mismatch fails the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANSWER_RECORD_ENV } from '../../server/src/shared/http/answer-record.js';
import { checkRecordedAnswers, formatReport } from './answer-check.js';

export default function setup(): () => void {
  // A folder given from outside is kept (to look at the answers); one made here goes when the check passes.
  const given = process.env[ANSWER_RECORD_ENV];
  const dir = given ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sq-answers-'));
  fs.mkdirSync(dir, { recursive: true });
  process.env[ANSWER_RECORD_ENV] = dir;
  return () => {
    const report = checkRecordedAnswers(dir);
    if (report.mismatches.length) {
      // Vitest only logs an error thrown here: the exit code is what fails the run (and CI).
      process.exitCode = 1;
      throw new Error(`answer-vs-document check: ${report.mismatches.length} kinds of answer disagree with the API document `
        + `(of ${report.answers} answers recorded in ${dir}):\n${formatReport(report)}`);
    }
    console.info(`answer-vs-document check: ${report.answers} answers agree with their API document`);
    if (!given) fs.rmSync(dir, { recursive: true, force: true });
  };
}
