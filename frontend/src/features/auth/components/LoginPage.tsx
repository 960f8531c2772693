import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Field, Input } from "@/components/ui";
import { useLogin } from "../api/login";
import { describeLoginError, formatWait } from "./login-errors";
import "./login.css";

export interface LoginPageProps {
  /** Called after the tokens are stored. */
  onLoggedIn: () => void;
}

export function LoginPage({ onLoggedIn }: LoginPageProps) {
  const { t } = useTranslation("auth");
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
      const at = Date.now();
      setNow(at);
      if (at >= lockedUntil) setLockedUntil(null);
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
            const at = Date.now(); // one clock reading, or the countdown may start a second high
            setNow(at);
            setLockedUntil(at + retryAfterS * 1000);
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
          {t("login.title")}
        </h1>
        <p className="login__lead">{t("login.lead")}</p>
        {problem && (
          <Alert>
            {waitS > 0 ? t("errors.tooManyWait", { wait: formatWait(waitS) }) : problem.message}
          </Alert>
        )}
        <Field label={t("login.email")}>
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
        <Field label={t("login.password")}>
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
          {t("login.submit")}
        </Button>
      </form>
    </main>
  );
}
