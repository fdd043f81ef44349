import { afterEach, describe, expect, it } from "vitest";
import type { AuthConfig } from "../../src/index.js";
import { createArgon2Hasher, createAuth, totpCode } from "../../src/index.js";
import { manualClock } from "../support/clock.js";
import { decodeBase32 } from "../support/mfa.js";
import { FAST_ARGON2, TEST_SECRET } from "../support/setup.js";
import { createTestStore, failingStore } from "../support/store.js";
import type { CallOptions, CallResult } from "./client.js";
import { call, rawRequest } from "./client.js";
import type { ContractApp, ContractAppOptions, ContractHarness } from "./harness.js";

export type { ContractApp, ContractAppOptions, ContractHarness } from "./harness.js";

const PASSWORD = "correct horse battery staple";
const DAY = 24 * 3600_000;
const TRUSTED = "https://trusted.example";

type Overrides = Omit<Partial<AuthConfig>, "secret" | "clock">;

/**
 * The HTTP contract of DESIGN §5, run over real HTTP against a framework package's glue. Every
 * framework package runs this same suite, so Express and Koa cannot drift apart.
 */
export function describeHttpContract(harness: ContractHarness): void {
  describe(`HTTP contract (${harness.name})`, () => {
    const opened: ContractApp[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((app) => app.close()));
    });

    async function open(overrides: Overrides = {}, appOptions: ContractAppOptions = {}) {
      const clock = manualClock();
      const memory = createTestStore({ now: () => clock.now() });
      const { http, ...rest } = overrides;
      const auth = createAuth({
        secret: TEST_SECRET,
        store: memory,
        clock,
        password: { hasher: createArgon2Hasher(FAST_ARGON2) },
        ...rest,
        http: { register: true, trustedOrigins: [TRUSTED], onError: () => undefined, ...http },
      });
      const app = await harness.start(auth, appOptions);
      opened.push(app);
      const req = (method: string, path: string, options?: CallOptions): Promise<CallResult> => call(app.url, method, path, options);
      const signUp = async (name = "alice"): Promise<{ token: string; userId: string }> => {
        expect((await req("POST", "/register", { body: { name, password: PASSWORD } })).status).toBe(201);
        const login = await req("POST", "/login", { body: { name, password: PASSWORD } });
        const body = login.body as { token: string; user: { id: string } };
        return { token: body.token, userId: body.user.id };
      };
      /** A user with TOTP on; returns a way to make codes and the recovery codes. */
      const enrol = async (name = "alice") => {
        const { token, userId } = await signUp(name);
        const begun = (await req("POST", "/mfa/totp", { token })).body as { secret: string };
        const secret = decodeBase32(begun.secret);
        const confirmed = await req("POST", "/mfa/totp/confirm", { token, body: { code: totpCode(secret, clock.now()) } });
        expect(confirmed.status).toBe(200);
        clock.advance(60_000);
        return { token, userId, code: () => totpCode(secret, clock.now()), recoveryCodes: (confirmed.body as { recoveryCodes: string[] }).recoveryCodes };
      };
      const lockedLogin = async (name = "alice"): Promise<string> => {
        const login = await req("POST", "/login", { body: { name, password: PASSWORD } });
        expect(login.body).toMatchObject({ isUnlocked: false });
        return (login.body as { token: string }).token;
      };
      return { app, auth, clock, memory, req, signUp, enrol, lockedLogin };
    }

    const errorOf = (result: CallResult): unknown => (result.body as { error?: unknown } | null)?.error;
    const expectError = (result: CallResult, status: number, code: string): void => {
      expect({ status: result.status, code: (errorOf(result) as { code?: string } | undefined)?.code }).toEqual({ status, code });
      expect(typeof (errorOf(result) as { message?: unknown }).message).toBe("string");
      expect(result.headers.get("content-type")).toMatch(/application\/json/);
    };

    describe("POST /register", () => {
      it("creates an account (201) and refuses a taken name (409 name_taken)", async () => {
        const { req } = await open();
        const created = await req("POST", "/register", { body: { name: "alice", password: PASSWORD } });
        expect(created.status).toBe(201);
        expect(created.body).toEqual({ user: { id: expect.any(String), name: "alice" } });
        expectError(await req("POST", "/register", { body: { name: "ALICE", password: PASSWORD } }), 409, "name_taken");
      });

      it("answers 400 invalid_request with issues for a weak password or an unknown field", async () => {
        const { req } = await open();
        const weak = await req("POST", "/register", { body: { name: "bob", password: "short" } });
        expectError(weak, 400, "invalid_request");
        expect((errorOf(weak) as { issues: unknown[] }).issues).toEqual([{ path: ["password"], message: expect.stringMatching(/at least 8/) }]);
        const extra = await req("POST", "/register", { body: { name: "bob", password: PASSWORD, admin: true } });
        expectError(extra, 400, "invalid_request");
        expect((errorOf(extra) as { issues: unknown[] }).issues).toEqual([{ path: ["admin"], message: "unknown field" }]);
      });

      it("is not served unless enabled", async () => {
        const { req } = await open({ http: { register: false } });
        expect((await req("POST", "/register", { body: { name: "bob", password: PASSWORD } })).status).toBe(404);
      });
    });

    describe("POST /login", () => {
      it("returns the token, expiry, user and MFA status, and sets the session cookie", async () => {
        const { req, clock } = await open();
        await req("POST", "/register", { body: { name: "alice", password: PASSWORD } });
        const login = await req("POST", "/login", { body: { name: "Alice", password: PASSWORD } });
        expect(login.status).toBe(200);
        expect(login.body).toEqual({
          logged: true,
          isUnlocked: true,
          token: expect.stringMatching(/^tss_/),
          expiresAt: new Date(clock.now() + 30 * DAY).toISOString(),
          user: { id: expect.any(String), name: "alice" },
          mfa: { required: false, factors: [] },
        });
        const cookie = login.headers.get("set-cookie") ?? "";
        expect(cookie).toMatch(/^tessera_session=tss_[A-Za-z0-9_-]+;/);
        for (const attribute of ["HttpOnly", "SameSite=Lax", "Path=/", "Secure", `Max-Age=${30 * 24 * 3600}`]) expect(cookie).toContain(attribute);
        expect(login.headers.get("cache-control")).toBe("no-store");
      });

      it("leaves the token out of the body with returnToken: false (the cookie carries it)", async () => {
        const { req } = await open();
        await req("POST", "/register", { body: { name: "alice", password: PASSWORD } });
        const login = await req("POST", "/login", { body: { name: "alice", password: PASSWORD, returnToken: false } });
        expect(login.body).not.toHaveProperty("token");
        expect(login.headers.get("set-cookie")).toMatch(/^tessera_session=tss_/);
      });

      it("answers 401 invalid_credentials identically for an unknown name and a wrong password", async () => {
        const { req } = await open();
        await req("POST", "/register", { body: { name: "alice", password: PASSWORD } });
        const wrong = await req("POST", "/login", { body: { name: "alice", password: "not the password" } });
        const unknown = await req("POST", "/login", { body: { name: "mallory", password: "not the password" } });
        expectError(wrong, 401, "invalid_credentials");
        expect(unknown.status).toBe(wrong.status);
        expect(unknown.text).toBe(wrong.text);
      });

      it("answers 429 rate_limited with Retry-After after 10 failures", async () => {
        const { req } = await open();
        await req("POST", "/register", { body: { name: "alice", password: PASSWORD } });
        for (let i = 0; i < 10; i++) await req("POST", "/login", { body: { name: "alice", password: "wrong password" } });
        const limited = await req("POST", "/login", { body: { name: "alice", password: PASSWORD } });
        expectError(limited, 429, "rate_limited");
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      });

      it("refuses a form-encoded login even when the application's parser reads forms (login CSRF)", async () => {
        const { req } = await open({}, { withBodyParser: true });
        await req("POST", "/register", { body: { name: "alice", password: PASSWORD } });
        const form = await req("POST", "/login", { rawBody: `name=alice&password=${encodeURIComponent(PASSWORD)}`, headers: { "content-type": "application/x-www-form-urlencoded" } });
        expectError(form, 415, "unsupported_media_type");
        expect(form.headers.get("set-cookie")).toBeNull();
      });

      it("works the same behind the application's own JSON body parser", async () => {
        const { req } = await open({}, { withBodyParser: true });
        await req("POST", "/register", { body: { name: "alice", password: PASSWORD } });
        expect((await req("POST", "/login", { body: { name: "alice", password: PASSWORD } })).status).toBe(200);
        expectError(await req("POST", "/login", { body: { name: "alice", password: PASSWORD, extra: 1 } }), 400, "invalid_request");
      });
    });

    describe("GET /login (check a token)", () => {
      it("reports a valid token", async () => {
        const { req, signUp } = await open();
        const { token } = await signUp();
        const check = await req("GET", "/login", { token, via: "query" });
        expect(check.status).toBe(200);
        expect(check.body).toEqual({ logged: true, isUnlocked: true, expiresAt: expect.any(String), user: { id: expect.any(String), name: "alice" } });
      });

      it("answers the same 401 for unknown, expired, revoked and malformed tokens", async () => {
        const { req, signUp, clock } = await open();
        const revoked = (await signUp("revoked")).token;
        await req("POST", "/logout", { token: revoked });
        const expired = (await signUp("expired")).token;
        const answers: string[] = [];
        answers.push((await req("GET", "/login", { token: `tss_${"A".repeat(65)}` })).text);
        answers.push((await req("GET", "/login", { token: "not-a-token" })).text);
        answers.push((await req("GET", "/login", { token: revoked })).text);
        clock.advance(30 * DAY);
        answers.push((await req("GET", "/login", { token: expired })).text);
        const first = await req("GET", "/login", { token: "x" });
        expect(first.status).toBe(401);
        expect(first.body).toEqual({ logged: false, error: { code: "invalid_token", message: expect.any(String) } });
        for (const answer of answers) expect(answer).toBe(first.text);
      });
    });

    describe("logout", () => {
      for (const method of ["POST", "GET"]) {
        it(`${method} /logout ends the session and clears the cookie; the token is then refused`, async () => {
          const { req, signUp } = await open();
          const { token } = await signUp();
          const out = await req(method, "/logout", { token, via: "query" });
          expect(out.status).toBe(200);
          expect(out.body).toEqual({ logged: false });
          expect(out.headers.get("set-cookie")).toMatch(/^tessera_session=;.*Max-Age=0/);
          expectError(await req(method, "/logout", { token, via: "query" }), 401, "invalid_token");
        });
      }

      it("POST /logout/all revokes the others and keeps the current one with keepCurrent", async () => {
        const { req, signUp } = await open();
        const { token } = await signUp();
        const other = ((await req("POST", "/login", { body: { name: "alice", password: PASSWORD } })).body as { token: string }).token;
        const all = await req("POST", "/logout/all", { token, body: { keepCurrent: true } });
        expect(all.status).toBe(200);
        expect(all.body).toEqual({ revoked: 1 });
        expect((await req("GET", "/login", { token })).status).toBe(200);
        expect((await req("GET", "/login", { token: other })).status).toBe(401);
        expect((await req("POST", "/logout/all", { token })).body).toEqual({ revoked: 1 });
        expect((await req("GET", "/login", { token })).status).toBe(401);
      });
    });

    describe("sessions", () => {
      it("GET /sessions lists the user's sessions without token material", async () => {
        const { req, signUp } = await open();
        const { token } = await signUp();
        await req("POST", "/login", { body: { name: "alice", password: PASSWORD }, headers: { "user-agent": "contract-test/1" } });
        const listing = await req("GET", "/sessions", { token });
        expect(listing.status).toBe(200);
        const results = (listing.body as { results: Array<Record<string, unknown>> }).results;
        expect(results).toHaveLength(2);
        expect(Object.keys(results[0]!).sort()).toEqual(["createdAt", "current", "expiresAt", "id", "ip", "isUnlocked", "lastSeenAt", "userAgent"]);
        expect(results.filter((s) => s["current"] === true)).toHaveLength(1);
        expect(results.map((s) => s["userAgent"])).toContain("contract-test/1");
        expect(listing.text).not.toContain(token.slice(4));
        expect(listing.text).not.toContain(token.slice(-20));
      });

      it("DELETE /sessions/:id answers 204, then 404 — and 404 for another user's session", async () => {
        const { req, signUp } = await open();
        const alice = await signUp();
        const bob = await signUp("bob");
        const second = ((await req("POST", "/login", { body: { name: "alice", password: PASSWORD } })).body as { token: string }).token;
        const listing = (await req("GET", "/sessions", { token: alice.token })).body as { results: Array<{ id: string; current: boolean }> };
        const other = listing.results.find((s) => !s.current)!;
        expectError(await req("DELETE", `/sessions/${encodeURIComponent(other.id)}`, { token: bob.token }), 404, "not_found");
        const deleted = await req("DELETE", `/sessions/${encodeURIComponent(other.id)}`, { token: alice.token });
        expect(deleted.status).toBe(204);
        expect(deleted.text).toBe("");
        expect((await req("GET", "/login", { token: second })).status).toBe(401);
        expectError(await req("DELETE", `/sessions/${encodeURIComponent(other.id)}`, { token: alice.token }), 404, "not_found");
        expectError(await req("DELETE", "/sessions/%E0%A4%A", { token: alice.token }), 404, "not_found");
      });
    });

    describe("MFA over HTTP", () => {
      it("POST /mfa/totp answers the secret and URI, then 409 mfa_already_enabled once confirmed", async () => {
        const { req, enrol } = await open();
        const { token } = await enrol();
        expectError(await req("POST", "/mfa/totp", { token }), 409, "mfa_already_enabled");
      });

      it("POST /mfa/totp/confirm answers 401 invalid_code for a wrong code", async () => {
        const { req, signUp } = await open();
        const { token } = await signUp();
        const begun = await req("POST", "/mfa/totp", { token });
        expect(begun.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//) });
        expectError(await req("POST", "/mfa/totp/confirm", { token, body: { code: "12345" } }), 401, "invalid_code");
      });

      it("locks the login until unlock, which issues a new token; 403 token_locked meanwhile", async () => {
        const { req, enrol, lockedLogin, app } = await open();
        const { code } = await enrol();
        const locked = await lockedLogin();
        const me = await req("GET", "/me", { token: locked });
        expectError(me, 403, "token_locked");
        expect((errorOf(me) as { message: string }).message).toBe("Access token is locked");
        expect(app.handlerCalls()).toBe(0);
        expect((await req("GET", "/me/any", { token: locked })).body).toEqual({ isUnlocked: false });
        expect((await req("GET", "/login", { token: locked })).body).toMatchObject({ logged: true, isUnlocked: false });
        expectError(await req("GET", "/sessions", { token: locked }), 403, "token_locked");

        const wrong = await req("POST", "/login/unlock", { token: locked, body: { factors: [{ factor: "totp", password: code() === "000000" ? "111111" : "000000" }] } });
        expectError(wrong, 401, "invalid_code");
        expect((errorOf(wrong) as { attemptsRemaining: number }).attemptsRemaining).toBe(4);

        const unlocked = await req("POST", "/login/unlock", { token: locked, body: { factors: [{ factor: "totp", password: code() }] } });
        expect(unlocked.status).toBe(200);
        expect(unlocked.body).toEqual({ isUnlocked: true, factors: [{ factor: "totp", unlocked: true }], token: expect.stringMatching(/^tss_/), expiresAt: expect.any(String) });
        const fresh = (unlocked.body as { token: string }).token;
        expect(fresh).not.toBe(locked);
        expect(unlocked.headers.get("set-cookie")).toContain(`tessera_session=${fresh};`);
        expect((await req("GET", "/me", { token: fresh })).status).toBe(200);
        expectError(await req("GET", "/login", { token: locked }), 401, "invalid_token");
        expectError(await req("POST", "/login/unlock", { token: fresh, body: { factors: [{ factor: "totp", password: code() }] } }), 409, "already_unlocked");
      });

      it("unlocks with a recovery code and says how many remain; 5 wrong codes end the token", async () => {
        const { req, enrol, lockedLogin } = await open();
        const { recoveryCodes } = await enrol();
        const viaRecovery = await req("POST", "/login/unlock", { token: await lockedLogin(), body: { factors: [{ factor: "recovery", password: recoveryCodes[0] }] } });
        expect(viaRecovery.body).toMatchObject({ isUnlocked: true, factors: [{ factor: "recovery", unlocked: true }], recoveryCodesRemaining: 9 });
        const doomed = await lockedLogin();
        for (let i = 0; i < 5; i++) await req("POST", "/login/unlock", { token: doomed, body: { factors: [{ factor: "recovery", password: "aaaaa-aaaaa-aaaaa" }] } });
        expectError(await req("POST", "/login/unlock", { token: doomed, body: { factors: [{ factor: "recovery", password: recoveryCodes[1] }] } }), 401, "invalid_token");
      });

      it("answers 429 after 10 failed codes for the account", async () => {
        const { req, enrol, lockedLogin } = await open();
        await enrol();
        for (let t = 0; t < 2; t++) {
          const token = await lockedLogin();
          for (let i = 0; i < 5; i++) await req("POST", "/login/unlock", { token, body: { factors: [{ factor: "recovery", password: "aaaaa-aaaaa-aaaaa" }] } });
        }
        const limited = await req("POST", "/login/unlock", { token: await lockedLogin(), body: { factors: [{ factor: "recovery", password: "aaaaa-aaaaa-aaaaa" }] } });
        expectError(limited, 429, "rate_limited");
        expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
      });

      it("POST /mfa/recovery-codes needs the password (401) and MFA (409), and replaces the codes", async () => {
        const { req, signUp, enrol } = await open();
        const plain = await signUp("plain");
        expectError(await req("POST", "/mfa/recovery-codes", { token: plain.token, body: { password: PASSWORD } }), 409, "mfa_not_enabled");
        const { token } = await enrol();
        expectError(await req("POST", "/mfa/recovery-codes", { token, body: { password: "wrong password" } }), 401, "invalid_credentials");
        const fresh = await req("POST", "/mfa/recovery-codes", { token, body: { password: PASSWORD } });
        expect(fresh.status).toBe(200);
        expect((fresh.body as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
      });

      it("DELETE /mfa/totp needs the password and turns MFA off", async () => {
        const { req, enrol } = await open();
        const { token } = await enrol();
        expectError(await req("DELETE", "/mfa/totp", { token, body: { password: "wrong password" } }), 401, "invalid_credentials");
        const off = await req("DELETE", "/mfa/totp", { token, body: { password: PASSWORD } });
        expect(off.status).toBe(200);
        expect(off.body).toMatchObject({ mfa: { required: false } });
        expect((await req("POST", "/login", { body: { name: "alice", password: PASSWORD } })).body).toMatchObject({ isUnlocked: true });
      });
    });

    describe("POST /password", () => {
      it("changes the password, revokes the other sessions and keeps this one", async () => {
        const { req, signUp } = await open();
        const { token } = await signUp();
        const other = ((await req("POST", "/login", { body: { name: "alice", password: PASSWORD } })).body as { token: string }).token;
        expectError(await req("POST", "/password", { token, body: { currentPassword: "wrong password", newPassword: "a new passphrase" } }), 401, "invalid_credentials");
        expectError(await req("POST", "/password", { token, body: { currentPassword: PASSWORD, newPassword: "short" } }), 400, "invalid_request");
        const changed = await req("POST", "/password", { token, body: { currentPassword: PASSWORD, newPassword: "a new passphrase" } });
        expect(changed.status).toBe(200);
        expect((await req("GET", "/login", { token })).status).toBe(200);
        expect((await req("GET", "/login", { token: other })).status).toBe(401);
      });
    });

    describe("GET /ping", () => {
      it("answers 200 { ok: true }", async () => {
        const { req } = await open();
        const ping = await req("GET", "/ping");
        expect(ping.status).toBe(200);
        expect(ping.body).toEqual({ ok: true });
      });
    });

    describe("transports", () => {
      for (const via of ["query", "bearer", "cookie"] as const) {
        it(`accepts the token as ${via} on protected routes and on GET /login`, async () => {
          const { req, signUp } = await open();
          const { token } = await signUp();
          const me = await req("GET", "/me", { token, via });
          expect(me.status).toBe(200);
          expect(me.body).toMatchObject({ user: { name: "alice" }, transport: via });
          expect((await req("GET", "/login", { token, via })).status).toBe(200);
        });

        it(`ignores the token as ${via} when that transport is switched off`, async () => {
          const { req, signUp } = await open({ http: { transports: { [via]: false } } });
          const { token } = await signUp();
          expectError(await req("GET", "/me", { token, via }), 401, "invalid_token");
        });
      }

      it("sends Referrer-Policy: no-referrer and Cache-Control: no-store when the token came in the query", async () => {
        const { req, signUp } = await open();
        const { token } = await signUp();
        for (const path of ["/me", "/login", "/sessions"]) {
          const response = await req("GET", path, { token, via: "query" });
          expect([path, response.headers.get("referrer-policy"), response.headers.get("cache-control")]).toEqual([path, "no-referrer", "no-store"]);
        }
        expect((await req("GET", "/me", { token: "bogus", via: "query" })).headers.get("referrer-policy")).toBe("no-referrer");
      });

      it("answers 400 ambiguous_token for two different tokens, and accepts one token sent twice", async () => {
        const { req, signUp } = await open();
        const alice = await signUp();
        const bob = await signUp("bob");
        expectError(await req("GET", "/me", { token: alice.token, query: `token=${bob.token}` }), 400, "ambiguous_token");
        expectError(await req("GET", "/login", { query: `token=${alice.token}&token=${bob.token}` }), 400, "ambiguous_token");
        expectError(await req("GET", "/me", { token: alice.token, headers: { cookie: `tessera_session=${bob.token}` } }), 400, "ambiguous_token");
        expect((await req("GET", "/me", { token: alice.token, query: `token=${alice.token}` })).status).toBe(200);
      });

      it("answers 400 ambiguous_token for two different session cookies (one planted by a sibling subdomain)", async () => {
        const { req, signUp } = await open();
        const alice = await signUp();
        const mallory = await signUp("mallory");
        const cookie = `tessera_session=${mallory.token}; tessera_session=${alice.token}`;
        expectError(await req("GET", "/me", { headers: { cookie } }), 400, "ambiguous_token");
        expectError(await req("GET", "/login", { headers: { cookie } }), 400, "ambiguous_token");
      });

      it("ignores a token placed after a literal # in the request target", async () => {
        const { app, signUp } = await open();
        const { token } = await signUp();
        const url = new URL(app.url);
        const status = await rawRequest(app.url, `GET ${url.pathname}/me?x=1#&token=${token} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
        expect(status).toBe(401);
      });

      it("refreshes the cookie when sliding renewal moves a cookie-borne session's expiry", async () => {
        const { req, signUp, clock } = await open({ slide: true, sessionTtl: 10 * DAY });
        const { token } = await signUp();
        clock.advance(6 * DAY);
        const me = await req("GET", "/me", { token, via: "cookie" });
        expect(me.status).toBe(200);
        expect(me.headers.get("set-cookie")).toMatch(new RegExp(`^tessera_session=${token}; .*Max-Age=${10 * 24 * 3600}$`));
        const check = await req("GET", "/login", { token, via: "cookie" });
        expect(check.headers.get("set-cookie")).toContain(`tessera_session=${token};`);
        expect((await req("GET", "/me", { token, via: "bearer" })).headers.get("set-cookie")).toBeNull();
      });

      it("answers 401 invalid_token when no token is sent", async () => {
        const { req } = await open();
        expectError(await req("GET", "/me"), 401, "invalid_token");
        expectError(await req("GET", "/sessions"), 401, "invalid_token");
      });
    });

    describe("CSRF on cookie-authenticated state changes", () => {
      it("refuses a cookie-borne POST without proof of origin, or from a foreign origin (403 csrf_rejected)", async () => {
        const { req, signUp } = await open();
        const { token } = await signUp();
        expectError(await req("POST", "/logout/all", { token, via: "cookie" }), 403, "csrf_rejected");
        expectError(await req("POST", "/logout/all", { token, via: "cookie", headers: { origin: "https://evil.example" } }), 403, "csrf_rejected");
        expectError(await req("POST", "/logout", { token, via: "cookie", headers: { "sec-fetch-site": "cross-site" } }), 403, "csrf_rejected");
        expectError(await req("GET", "/logout", { token, via: "cookie", headers: { "sec-fetch-site": "cross-site" } }), 403, "csrf_rejected");
        expect((await req("GET", "/login", { token, via: "cookie" })).status).toBe(200);
      });

      it("accepts the same origin, a trusted origin, Sec-Fetch-Site: same-origin, and non-cookie tokens", async () => {
        const { req, signUp, app } = await open();
        const { token } = await signUp();
        const host = new URL(app.url).host;
        expect((await req("POST", "/logout/all", { token, via: "cookie", headers: { origin: `http://${host}` }, body: { keepCurrent: true } })).status).toBe(200);
        expect((await req("POST", "/logout/all", { token, via: "cookie", headers: { origin: TRUSTED }, body: { keepCurrent: true } })).status).toBe(200);
        expect((await req("POST", "/logout/all", { token, via: "cookie", headers: { "sec-fetch-site": "same-origin" }, body: { keepCurrent: true } })).status).toBe(200);
        expect((await req("POST", "/logout/all", { token, via: "bearer", headers: { origin: "https://evil.example" }, body: { keepCurrent: true } })).status).toBe(200);
      });
    });

    describe("routing", () => {
      it("answers 405 with Allow for a known path and the wrong method", async () => {
        const { req } = await open();
        const response = await req("PUT", "/login");
        expectError(response, 405, "method_not_allowed");
        expect(response.headers.get("allow")).toBe("POST, GET");
      });

      it("passes requests for other paths on to the application", async () => {
        const { req } = await open();
        expect((await req("GET", "/hello")).body).toEqual({ hello: "world" });
      });
    });

    describe("malformed input never gets a 5xx or a hang", () => {
      const routes: Array<[string, string]> = [
        ["POST", "/register"],
        ["POST", "/login"],
        ["POST", "/login/unlock"],
        ["GET", "/login"],
        ["POST", "/logout"],
        ["GET", "/logout"],
        ["POST", "/logout/all"],
        ["GET", "/sessions"],
        ["DELETE", "/sessions/x"],
        ["POST", "/mfa/totp"],
        ["POST", "/mfa/totp/confirm"],
        ["DELETE", "/mfa/totp"],
        ["POST", "/mfa/recovery-codes"],
        ["POST", "/password"],
        ["GET", "/ping"],
      ];
      const inputs: Array<[string, (token: string) => CallOptions]> = [
        ["broken JSON", (token) => ({ token, rawBody: '{"name": "alice", ' })],
        ["a JSON array", (token) => ({ token, body: [1, 2, 3] })],
        ["a JSON string", (token) => ({ token, body: "hello" })],
        ["wrong types", (token) => ({ token, body: { name: 42, password: ["x"], code: null, keepCurrent: "yes", factors: "totp", currentPassword: {}, newPassword: 1 } })],
        ["a 1 MB body", (token) => ({ token, rawBody: JSON.stringify({ name: "a".repeat(1024 * 1024) }) })],
        ["a form body", (token) => ({ token, rawBody: "name=alice&password=x", headers: { "content-type": "application/x-www-form-urlencoded" } })],
        ["?token=a&token=b", (token) => ({ query: `token=${token}&token=tss_${"B".repeat(65)}` })],
        ["a 10 kB token", () => ({ token: `tss_${"A".repeat(10_000)}` })],
        ["control characters in the token", () => ({ token: "tss_\u0001\u0002\u0000", via: "query" })],
        ["control characters in the fields", (token) => ({ token, body: { name: "al\u0000ice\u001b", password: "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000" } })],
      ];

      for (const [name, build] of inputs) {
        it(`answers every route with a 4xx JSON error or a success for ${name}`, async () => {
          const { req, signUp } = await open();
          const { token } = await signUp("victim");
          const statuses: string[] = [];
          for (const [method, path] of routes) {
            const response = await req(method, path, build(token));
            statuses.push(`${method} ${path} ${response.status}`);
            expect(response.status, `${method} ${path}`).toBeLessThan(500);
            if (response.status >= 400) expect(typeof (errorOf(response) as { code?: unknown } | undefined)?.code, `${method} ${path}`).toBe("string");
          }
          expect(statuses).toHaveLength(routes.length);
        });
      }

      it("answers bytes no HTTP client would send with a 4xx, never a hang", async () => {
        const { app } = await open();
        const url = new URL(app.url);
        const base = `Host: ${url.host}\r\nConnection: close\r\n`;
        const statuses = await Promise.all([
          rawRequest(app.url, `GET ${url.pathname}/login HTTP/1.1\r\n${base}Authorization: Bearer tss_\u0001\u0002\r\n\r\n`),
          rawRequest(app.url, `POST ${url.pathname}/login HTTP/1.1\r\n${base}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{"na"`),
          rawRequest(app.url, `GET ${url.pathname}/login?token=%ZZ%00 HTTP/1.1\r\n${base}\r\n`),
        ]);
        for (const status of statuses) {
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
        }
      });
    });

    describe("a failing store", () => {
      it("answers 503 store_unavailable on every route and never runs a protected handler", async () => {
        const { req, app } = await open({ store: failingStore() });
        const token = `tss_${"A".repeat(65)}`;
        const calls: Array<[string, string, CallOptions]> = [
          ["GET", "/me", { token }],
          ["GET", "/me/any", { token }],
          ["GET", "/me", { token, via: "query" }],
          ["GET", "/me", { token, via: "cookie" }],
          ["GET", "/login", { token }],
          ["POST", "/login", { body: { name: "alice", password: PASSWORD } }],
          ["POST", "/register", { body: { name: "alice", password: PASSWORD } }],
          ["POST", "/login/unlock", { token, body: { factors: [{ factor: "totp", password: "123456" }] } }],
          ["POST", "/logout", { token }],
          ["POST", "/logout/all", { token }],
          ["GET", "/sessions", { token }],
          ["DELETE", "/sessions/abc", { token }],
          ["POST", "/mfa/totp", { token }],
          ["POST", "/password", { token, body: { currentPassword: PASSWORD, newPassword: "a new passphrase" } }],
          ["GET", "/ping", {}],
        ];
        for (const [method, path, options] of calls) {
          const response = await req(method, path, options);
          expect([method, path, response.status, (errorOf(response) as { code?: string } | undefined)?.code]).toEqual([method, path, 503, "store_unavailable"]);
        }
        expect(app.handlerCalls()).toBe(0);
      });
    });
  });
}
