import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { clientAddress } from '../http/client-address';
import { signInWithPassword, TooManyAttempts } from './sign-in';
import { authSecret } from './secret';
import { endSession, openSessionOnce, SessionEnded, startSession } from './user-session';
import { withSingleSignOn } from './oidc';
import { DEVICE_COOKIE, deviceCookieFrom, deviceCookieOptions } from './device-cookie';

/** Keeps the device cookie in the browser that just signed in (next-auth's route merges it into its answer). */
async function rememberDevice(value: string): Promise<void> {
  const { cookies } = await import('next/headers');
  const secure = (process.env.NEXTAUTH_URL ?? process.env.PUBLIC_URL ?? '').startsWith('https://');
  (await cookies()).set(DEVICE_COOKIE, value, deviceCookieOptions(secure));
}

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials, req) {
        const ip = req?.headers ? clientAddress(req.headers) : null;
        const cookie = req?.headers?.cookie as string | undefined;
        try {
          const signedIn = await signInWithPassword(credentials, ip, deviceCookieFrom(cookie));
          if (!signedIn) return null;
          const { deviceCookie, ...user } = signedIn;
          await rememberDevice(deviceCookie);
          return user;
        } catch (error) {
          // Thrown errors reach the sign-in form as their message: it says why, without a stack.
          if (error instanceof TooManyAttempts) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ],
  events: {
    async signOut({ token }) {
      if (token?.sid) await endSession(token.sid);
    },
  },
  callbacks: {
    async jwt({ token, user }) {
      // `user` is only present right after sign-in: open the server-side session the cookie names.
      if (user) {
        token.sub = user.id;
        token.email = user.email;
        token.name = user.name ?? null;
        token.sid = await startSession(user.id);
        return token;
      }
      // Every other read of the cookie (pages, /api/auth/session) needs its session still open on the
      // server: a signed-out copy is refused here, and next-auth then answers no session and clears it.
      if (!token.sid || !token.sub || !(await openSessionOnce(token.sid, token.sub)))
        throw new SessionEnded();
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) session.user.id = token.sub;
      session.sid = token.sid;
      return session;
    },
    redirect({ url, baseUrl }) {
      // Only same-origin destinations; anything else lands on the console's start page.
      if (url.startsWith('/') && !url.startsWith('//')) return `${baseUrl}${url}`;
      try {
        if (new URL(url).origin === baseUrl) return url;
      } catch {
        // not a URL
      }
      return `${baseUrl}/jobs`;
    },
  },
};

withSingleSignOn(authOptions);

// A signed-out cookie coming back is routine, not an error for the log.
const logError = authOptions.logger?.error;
if (authOptions.logger && logError)
  authOptions.logger.error = (code, metadata) => {
    if (!(metadata instanceof SessionEnded)) logError(code, metadata);
  };
