import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { afterEach, describe, expect, test } from 'vitest';
import { oidcSettings, passwordSignInEnabled, withSingleSignOn } from './oidc';

const VARS = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_NAME', 'PASSWORD_SIGN_IN'];
const options = (): NextAuthOptions => ({
  providers: [CredentialsProvider({ credentials: {}, authorize: async () => null })],
  callbacks: {},
});

afterEach(() => VARS.forEach((name) => delete process.env[name]));

describe('withSingleSignOn', () => {
  test('without OIDC_ISSUER: passwords only', () => {
    expect(oidcSettings()).toBeNull();
    expect(withSingleSignOn(options()).providers.map((p) => p.type)).toEqual(['credentials']);
  });

  test('with the provider configured: discovery from the issuer, PKCE, state and nonce checked', () => {
    Object.assign(process.env, {
      OIDC_ISSUER: 'https://idp.example/realms/acme/',
      OIDC_CLIENT_ID: 'etl',
      OIDC_CLIENT_SECRET: 's',
      OIDC_NAME: 'Keycloak',
    });
    const providers = withSingleSignOn(options()).providers as unknown as Array<Record<string, unknown>>;
    expect(providers.map((p) => p.type)).toEqual(['credentials', 'oauth']);
    expect(providers[1]).toMatchObject({
      id: 'oidc',
      name: 'Keycloak',
      wellKnown: 'https://idp.example/realms/acme/.well-known/openid-configuration',
      checks: ['pkce', 'state', 'nonce'],
      idToken: true,
    });
  });

  test('PASSWORD_SIGN_IN=false removes the password provider', () => {
    Object.assign(process.env, {
      OIDC_ISSUER: 'https://idp.example',
      OIDC_CLIENT_ID: 'etl',
      PASSWORD_SIGN_IN: 'false',
    });
    expect(passwordSignInEnabled()).toBe(false);
    expect(withSingleSignOn(options()).providers.map((p) => p.id)).toEqual(['oidc']);
  });

  test('PASSWORD_SIGN_IN=false without single sign-on keeps passwords (or nobody could sign in)', () => {
    process.env.PASSWORD_SIGN_IN = 'false';
    expect(passwordSignInEnabled()).toBe(true);
    expect(withSingleSignOn(options()).providers.map((p) => p.type)).toEqual(['credentials']);
  });
});
