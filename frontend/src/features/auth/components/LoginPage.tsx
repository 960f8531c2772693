import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { Alert, Button, Field, Input } from "@/components/ui";
import { useLogin } from "../api/login";
import { describeLoginError, formatWait } from "./login-errors";
import "./login.css";

export interface LoginPageProps {
  /** Called after the tokens are stored. */
  onLoggedIn: () => void;
}

export function LoginPage({ onLoggedIn }: LoginPageProps) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const login = useLogin();

  const problem = login.error ? describeLoginError(login.error) : null;
  const waitS = lockedUntil ? Math.max(0, Math.ceil((lockedUntil - now) / 1000)) : 0;

  useEffect(() => {
    if (!lockedUntil) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= lockedUntil) setLockedUntil(null);
    }, 1000);
    return () => clearInterval(timer);
  }, [lockedUntil]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: onLoggedIn,
        onError: (error) => {
          const { retryAfterS } = describeLoginError(error);
          if (retryAfterS) {
            const t = Date.now(); // one clock reading, or the countdown may start a second high
            setNow(t);
            setLockedUntil(t + retryAfterS * 1000);
          }
        },
      },
    );
  };

  return (
    <main className="login">
      <form className="login__panel" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div className="login__brand">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span>Automat</span>
        </div>
        <h1 id="login-title" className="login__title">
          Log in
        </h1>
        <p className="login__lead">CAD files in, product media out.</p>
        {problem && (
          <Alert>
            {waitS > 0 ? `Too many failed attempts. Try again in ${formatWait(waitS)}.` : problem.message}
          </Alert>
        )}
        <Field label="E-mail">
          <Input
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </Field>
        <Field label="Password">
          <Input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </Field>
        <Button
          type="submit"
          variant="primary"
          loading={login.isPending}
          disabled={waitS > 0 || !email || !password}
        >
          Log in
        </Button>
      </form>
    </main>
  );
}
