'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldHint, Input, Label } from '@/components/ui/input';
import { ConfirmPasswordDialog, type ConfirmPassword } from './confirm-password-dialog';
import { takeHandover, type HandoverKind } from './handover';

type Why = { purpose: 'reveal' } | { purpose: 'copy'; what: string };
type Answer = { ok: true; token: string } | { ok: false; message: string; code?: string };
export type AskToken = (why: Why) => Promise<Answer>;

interface KeySecret {
  /** The whole token once revealed (or handed over right after creation); otherwise null. */
  token: string | null;
  /** Set right after the key was created or rolled, for this one visit. */
  fresh: HandoverKind | null;
  /** Whether this person may reveal and copy the token. */
  canReveal: boolean;
  busy: boolean;
  reveal: () => Promise<void>;
  hide: () => void;
  /** Copies `build(token)`; asks the server for the token (one audit event) and says what happened. */
  copy: (what: string, build: (token: string) => string) => Promise<void>;
}

const Context = createContext<KeySecret | null>(null);

export function useKeySecret(): KeySecret {
  const value = useContext(Context);
  if (!value) throw new Error('useKeySecret outside KeySecretProvider');
  return value;
}

/**
 * Asks the server for the token; when the session must prove its person again, asks for the password
 * (the dialog reads `confirming`) and then asks once more.
 */
function useSudoAsk(askServer: AskToken | null) {
  // Open while the person is asked for their password; resolves with whether they gave it.
  const [confirming, setConfirming] = useState<((confirmed: boolean) => void) | null>(null);

  const ask = useMemo<AskToken | null>(
    () =>
      askServer &&
      (async (why) => {
        const unreachable: Answer = { ok: false, message: 'Could not reach the server. Try again.' };
        const first = await askServer(why).catch(() => unreachable);
        if (first.ok || first.code !== 'reauthentication_required') return first;
        const confirmed = await new Promise<boolean>((resolve) => setConfirming(() => resolve));
        setConfirming(null);
        if (!confirmed)
          return { ok: false, message: 'The token stays hidden until you confirm your password.' };
        return askServer(why).catch(() => unreachable);
      }),
    [askServer],
  );

  return { ask, confirming };
}

/** Holds a key's token on the client only after a deliberate Reveal or Copy; the page's HTML never has it. */
export function KeySecretProvider({
  keyId,
  ask: askServer,
  confirm,
  children,
}: {
  keyId: string;
  ask: AskToken | null;
  confirm: ConfirmPassword;
  children: ReactNode;
}) {
  const [token, setToken] = useState<string | null>(null);
  const [fresh, setFresh] = useState<HandoverKind | null>(null);
  const [busy, setBusy] = useState(false);
  const { ask, confirming } = useSudoAsk(askServer);

  useEffect(() => {
    const handed = takeHandover(keyId);
    if (!handed) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- read once from the in-memory hand-over
    setToken(handed.token);
    setFresh(handed.kind);
  }, [keyId]);

  const reveal = useCallback(async () => {
    if (!ask) return;
    setBusy(true);
    const result = await ask({ purpose: 'reveal' }).catch(() => ({
      ok: false as const,
      message: 'Could not reach the server. Try again.',
    }));
    setBusy(false);
    if (result.ok) setToken(result.token);
    else toast.error(result.message);
  }, [ask]);

  const copy = useCallback(
    async (what: string, build: (token: string) => string) => {
      if (!ask) return;
      setBusy(true);
      const result = await ask({ purpose: 'copy', what }).catch(() => ({
        ok: false as const,
        message: 'Could not reach the server. Try again.',
      }));
      setBusy(false);
      if (!result.ok) {
        toast.error(result.message);
        return;
      }
      try {
        await navigator.clipboard.writeText(build(result.token));
        toast.success(`${what[0].toUpperCase()}${what.slice(1)} copied to the clipboard`);
      } catch {
        setToken(result.token);
        toast.error('The browser refused the clipboard: the token is shown; select it and copy it.');
      }
    },
    [ask],
  );

  // A key revoked meanwhile (the page refreshed without `ask`) shows its token no more.
  const value = useMemo(
    () => ({
      token: ask ? token : null,
      fresh: ask ? fresh : null,
      canReveal: ask !== null,
      busy,
      reveal,
      hide: () => setToken(null),
      copy,
    }),
    [token, fresh, ask, busy, reveal, copy],
  );
  return (
    <Context.Provider value={value}>
      {children}
      <ConfirmPasswordDialog open={confirming !== null} confirm={confirm} onDone={(ok) => confirming?.(ok)} />
    </Context.Provider>
  );
}

/** Right after creation or a roll: the one moment the page says so. */
export function FreshKeyBanner() {
  const { fresh } = useKeySecret();
  if (!fresh) return null;
  return (
    <Alert tone="success">
      {fresh === 'created'
        ? 'Key created.'
        : 'New key issued. The previous key keeps working until this one is first used, or until its grace period ends.'}{' '}
      Copy the token below now; later it stays masked until you reveal it.
    </Alert>
  );
}

/** The token field: masked (short id and last characters) until Reveal; Copy asks for the token itself. */
export function KeyToken({ hint, note }: { hint: string; note: string }) {
  const { token, canReveal, busy, reveal, hide, copy } = useKeySecret();
  return (
    <div>
      <Label htmlFor="api-key-token">API key</Label>
      <div className="flex flex-wrap gap-2 sm:flex-nowrap">
        <Input
          id="api-key-token"
          readOnly
          value={token ?? hint}
          aria-describedby="api-key-token-hint"
          spellCheck={false}
          className="min-w-0 flex-1 basis-full font-mono text-xs sm:basis-auto"
          onFocus={(e) => e.currentTarget.select()}
        />
        {canReveal ? (
          <>
            <Button variant="secondary" className="h-10" disabled={busy} onClick={token ? hide : reveal}>
              {token ? 'Hide' : 'Reveal'}
            </Button>
            <Button
              variant="secondary"
              className="h-10"
              disabled={busy}
              onClick={() => copy('API key', (t) => t)}
            >
              Copy
            </Button>
          </>
        ) : null}
      </div>
      <FieldHint id="api-key-token-hint">{note}</FieldHint>
    </div>
  );
}
