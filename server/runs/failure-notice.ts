import { publicUrl } from '../config';
import { pool } from '../db';
import { sendMail } from '../email/send';
import { runFailedMail } from '../email/templates';

// A failed run of a job with "notify on failure" gets one FailureNotice row, with its recipients (the
// job's creator and listed members who have not opted out), written by a trigger in the transaction
// that failed the run (prisma/migrations/…_operator_grants_email_trust). The worker mails it here, once.

interface NoticeRow {
  runId: string;
  jobName: string;
  recipients: string[] | null;
  error: string | null;
  sentAt: Date | null;
}

/** Mails the notice of a failed run, unless it was sent already; 'sent' or 'none'. */
export async function sendFailureNotice(runId: string): Promise<'sent' | 'none'> {
  const { rows } = await pool.query<NoticeRow>(
    'select "runId", "jobName", recipients, error, "sentAt" from "FailureNotice" where "runId" = $1',
    [runId],
  );
  const notice = rows[0];
  if (!notice || notice.sentAt || !notice.recipients?.length) return 'none';
  await sendMail(
    notice.recipients,
    runFailedMail({
      jobName: notice.jobName,
      error: notice.error,
      link: `${publicUrl()}/runs/${runId}`,
      settingsLink: `${publicUrl}/settings/account#failure-notices`,
    }),
  );
  await pool.query('update "FailureNotice" set "sentAt" = now() where "runId" = $1', [runId]);
  return 'sent';
}
