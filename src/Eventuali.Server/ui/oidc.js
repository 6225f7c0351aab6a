// Eventuali admin UI, OIDC sign-in: the authorization code flow with PKCE (S256), run in the page against the issuer
// the server names at login-config (only when it has a UI client id). The access token it gets is then used exactly
// like a pasted one (login in app.js). Uses $ and login from app.js.
'use strict';

const oidcPendingKey = 'eventuali-oidc-pending';

function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(length) {
  return base64Url(crypto.getRandomValues(new Uint8Array(length)));
}

function jwtClaims(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
}

async function discover(authority) {
  const response = await fetch(`${authority.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the issuer's discovery document answered ${response.status}`);
  return response.json();
}

// Leaves for the issuer's sign-in page; what is needed to check the answer stays in this tab's session storage.
async function oidcSignIn(config) {
  const meta = await discover(config.authority);
  const verifier = randomText(32);
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const pending = {
    state: randomText(16), nonce: randomText(16), verifier,
    issuer: meta.issuer, tokenEndpoint: meta.token_endpoint, redirectUri: location.origin + location.pathname,
  };
  sessionStorage.setItem(oidcPendingKey, JSON.stringify(pending));
  const url = new URL(meta.authorization_endpoint);
  const params = {
    response_type: 'code', client_id: config.clientId, redirect_uri: pending.redirectUri, scope: config.scope,
    state: pending.state, nonce: pending.nonce, code_challenge: challenge, code_challenge_method: 'S256',
  };
  if (config.resource) params.resource = config.resource;
  Object.entries(params).forEach(([name, value]) => url.searchParams.set(name, value));
  location.assign(url.toString());
}

// Back from the issuer: checks state (and the issuer when named), swaps the code for tokens with the PKCE verifier,
// checks the ID token's nonce, issuer and audience, and returns the access token.
async function oidcFinish(config, query) {
  const pending = JSON.parse(sessionStorage.getItem(oidcPendingKey) || 'null');
  sessionStorage.removeItem(oidcPendingKey);
  history.replaceState(null, '', location.pathname); // the code is single-use: keep it out of the address bar
  if (!pending) throw new Error('no sign-in was started in this tab');
  if (query.get('error')) throw new Error(`the issuer refused: ${query.get('error')}`);
  if (query.get('state') !== pending.state) throw new Error('the answer does not match the sign-in started here (state)');
  if (query.has('iss') && query.get('iss') !== pending.issuer) throw new Error('the answer came from another issuer');
  const body = new URLSearchParams({
    grant_type: 'authorization_code', code: query.get('code') || '', redirect_uri: pending.redirectUri,
    client_id: config.clientId, code_verifier: pending.verifier,
  });
  if (config.resource) body.set('resource', config.resource);
  const response = await fetch(pending.tokenEndpoint, { method: 'POST', body });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || !tokens.access_token) throw new Error(`the token endpoint answered ${response.status}${tokens.error ? ' ' + tokens.error : ''}`);
  if (config.scope.split(' ').includes('openid')) {
    if (!tokens.id_token) throw new Error('no ID token came back');
    const claims = jwtClaims(tokens.id_token);
    const audiences = [].concat(claims.aud);
    if (claims.nonce !== pending.nonce || claims.iss !== pending.issuer || !audiences.includes(config.clientId)) {
      throw new Error('the ID token is not for this sign-in (nonce, issuer or audience)');
    }
  }
  return tokens.access_token;
}

(async () => {
  let config = null;
  try {
    const response = await fetch('login-config');
    config = response.ok ? (await response.json()).oidc : null;
  } catch { /* no sign-in offered */ }
  if (!config) return;
  $('oidc-panel').hidden = false;
  $('oidc-signin').addEventListener('click', () => {
    $('login-error').textContent = '';
    oidcSignIn(config).catch((error) => { $('login-error').textContent = `Sign-in failed (${error.message}).`; });
  });
  const query = new URLSearchParams(location.search);
  if (!query.has('code') && !query.has('error')) return;
  try {
    await login(await oidcFinish(config, query));
  } catch (error) {
    $('login-error').textContent = `Sign-in failed (${error.message}).`;
  }
})();
