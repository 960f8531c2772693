import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { Alert, Button, Field, Input } from "@/components/ui";
import { useLogout } from "@/lib/session";
import { useChangePassword } from "../api/password";
import { useErrorText } from "./errors";
import "./people.css";

const MIN_LENGTH = 10;

export interface ChangePasswordPageProps {
  /** Called once the new password is set and the new tokens are stored. */
  onChanged: () => void;
  /** Called after "Log out" (the tokens are gone). */
  onLoggedOut: () => void;
}

/**
 * After a login with a temporary password (an administrator's create or reset): the user chooses
 * their own before anything else (the API refuses every other call until then).
 */
export function ChangePasswordPage({ onChanged, onLoggedOut }: ChangePasswordPageProps) {
  const { t } = useTranslation("people");
  const errorText = useErrorText();
  const change = useChangePassword();
  const logout = useLogout();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [tried, setTried] = useState(false);
  const tooShort = next.length < MIN_LENGTH;
  const mismatch = next !== repeat;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (tooShort || mismatch || !current) return;
    change.mutate({ current_password: current, new_password: next }, { onSuccess: onChanged });
  };
  return (
    <main className="people-password-page">
      <form className="people-password-page__panel" onSubmit={submit} noValidate aria-labelledby="password-title">
        <h1 id="password-title">{t("password.title")}</h1>
        <p>
          {t("password.intro")} <HelpTooltip entry="user.new_password" />
        </p>
        <Field label={t("password.current")}>
          <Input type="password" autoComplete="current-password" value={current} onChange={(event) => setCurrent(event.target.value)} />
        </Field>
        <Field
          label={t("password.new")}
          error={tried && tooShort ? t("password.tooShort") : undefined}
        >
          <Input type="password" autoComplete="new-password" value={next} onChange={(event) => setNext(event.target.value)} />
        </Field>
        <Field label={t("password.repeat")} error={tried && !tooShort && mismatch ? t("password.mismatch") : undefined}>
          <Input type="password" autoComplete="new-password" value={repeat} onChange={(event) => setRepeat(event.target.value)} />
        </Field>
        {change.isError && <Alert>{errorText(change.error)}</Alert>}
        <div className="people-actions">
          <Button variant="primary" type="submit" loading={change.isPending}>
            {t("password.submit")}
          </Button>
          <Button
            variant="ghost"
            onClick={() => {
              logout();
              onLoggedOut();
            }}
          >
            {t("password.logout")}
          </Button>
        </div>
      </form>
    </main>
  );
}
