import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { clientAddress } from '../http/client-address';
import { signInWithPassword, TooManyAttempts } from './sign-in';
import { authSecret } from './secret';
import { endSession, startSession } from './user-session';
import { withSingleSignOn } from './oidc';

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
        try {
          return await signInWithPassword(credentials, ip);
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
      }
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
