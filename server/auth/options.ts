import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { db } from '@/server/db';
import { hashPassword, verifyPassword } from './password';
import { signInSchema } from '@/lib/validations/auth';
import { noteFailedSignIn, signInBlocked, TOO_MANY_ATTEMPTS } from './sign-in-throttle';
import { authSecret } from './secret';
import { withSingleSignOn } from './oidc';

// Checked when no such user exists, so an unknown email costs the same scrypt time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** The user for an email and password, or null: one answer for "no such user" and "wrong password". */
export async function authenticate(input: unknown): Promise<{ id: string; email: string; name: string | null } | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const user = await db.user.findFirst({
    where: { email: { equals: email, mode: 'insensitive' } },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  if (!user) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('not-a-real-password')));
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name };
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
        const forwarded = req?.headers?.['x-forwarded-for'];
        const ip = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim() ?? null;
        // Thrown errors reach the sign-in form as their message: it says why, without a stack.
        const email = String(credentials?.email ?? '');
        if (await signInBlocked(email, ip)) throw new Error(TOO_MANY_ATTEMPTS);
        const user = await authenticate(credentials);
        if (!user) await noteFailedSignIn(email, ip);
        return user;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      // `user` is only present right after sign-in.
      if (user) {
        token.sub = user.id;
        token.email = user.email;
        token.name = user.name ?? null;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) session.user.id = token.sub;
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
