import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword, MAX_PASSWORD_LENGTH } from "../../app/auth/password.server";

describe("password hashing", () => {
  it("round-trips with argon2id at the chosen parameters, salted", async () => {
    const hash = await hashPassword("Sommar2026!");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "Sommar2026!")).toBe(true);
    expect(await verifyPassword(hash, "sommar2026!")).toBe(false);
    expect(await hashPassword("Sommar2026!")).not.toBe(hash);
  });

  it("treats a malformed stored hash and an over-long password as wrong, not as errors", async () => {
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
    const hash = await hashPassword("x");
    expect(await verifyPassword(hash, "x".repeat(MAX_PASSWORD_LENGTH + 1))).toBe(false);
  });

  it("spends about as long on an unknown user as on a wrong password", async () => {
    const hash = await hashPassword("rätt");
    const median = async (stored: string | null) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        expect(await verifyPassword(stored, "fel")).toBe(false);
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b)[2];
    };
    const known = await median(hash);
    const unknown = await median(null);
    expect(unknown).toBeGreaterThan(known * 0.5);
  });
});
