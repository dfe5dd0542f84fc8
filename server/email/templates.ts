// The product's mails, each a small function: a subject, a plain-text body and a simple HTML body.
// Everything a caller passes in is escaped in the HTML.

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function html(paragraphs: string[], link?: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n');
  const button = link
    ? `<p><a href="${escape(link.href)}" style="display:inline-block;padding:10px 16px;background:#4f46e5;color:#ffffff;border-radius:6px;text-decoration:none">${escape(link.label)}</a></p>\n<p style="color:#555555;font-size:13px;overflow-wrap:anywhere;word-break:break-all">Or paste this address into your browser: ${escape(link.href)}</p>`
    : '';
  return `<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111111;background:#ffffff;overflow-wrap:anywhere">\n${body}\n${button}\n</body></html>`;
}

export function invitationMail(input: {
  orgName: string;
  role: string;
  inviter: string | null;
  link: string;
  expiresAt: Date;
}): Mail {
  const who = input.inviter ?? 'An administrator';
  const lines = [
    `${who} invited you to join ${input.orgName} on the ETL manager as ${input.role}.`,
    `The link works once, until ${input.expiresAt.toUTCString()}. Opening it also confirms that this address is yours.`,
  ];
  const ignore = 'If you did not expect this invitation, ignore this mail.';
  return {
    subject: `You are invited to ${input.orgName}`,
    text: `${lines.join('\n\n')}\n\nAccept: ${input.link}\n\n${ignore}\n`,
    html: html([...lines, ignore], { href: input.link, label: `Join ${input.orgName}` }),
  };
}

export function passwordResetMail(input: { link: string; minutes: number }): Mail {
  const lines = [
    'Someone (we hope you) asked to choose a new password for the ETL manager account of this address.',
    `The link works once, for ${input.minutes} minutes.`,
  ];
  const ignore = 'If it was not you, ignore this mail: your password stays as it is.';
  return {
    subject: 'Choose a new password',
    text: `${lines.join('\n\n')}\n\nChoose a new password: ${input.link}\n\n${ignore}\n`,
    html: html([...lines, ignore], { href: input.link, label: 'Choose a new password' }),
  };
}

export function runFailedMail(input: {
  jobName: string;
  error: string | null;
  link: string;
  settingsLink: string;
}): Mail {
  const lines = [
    `A run of ${input.jobName} failed${input.error ? `: ${input.error}` : '.'}`,
    'Its log is on the run’s page.',
  ];
  const optOut = `You receive this because you watch this job. Stop these mails in Settings > Your account: ${input.settingsLink}`;
  return {
    subject: `Run of ${input.jobName} failed`,
    text: `${lines.join('\n\n')}\n\nOpen the run: ${input.link}\n\n${optOut}\n`,
    html: html([...lines, optOut], { href: input.link, label: 'Open the run' }),
  };
}
