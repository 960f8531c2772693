import { useTranslation } from "react-i18next";
import { Select, toast } from "@/components/ui";
import { LANGUAGES, isLanguage } from "@/i18n";
import { errorMessage } from "@/lib/api";
import { useChooseLanguage, useLanguage } from "@/lib/language";

/** The header's language select: switches the UI at once and stores the choice on the user. */
export function LanguageSelect() {
  const { t } = useTranslation("common");
  const language = useLanguage();
  const choose = useChooseLanguage();
  return (
    <Select
      className="shell__language"
      aria-label={t("language")}
      value={language}
      disabled={choose.isPending}
      onChange={(event) => {
        const next = event.target.value;
        if (!isLanguage(next)) return;
        choose.mutate(next, {
          onError: (error) => toast({ title: t("language"), message: errorMessage(error), tone: "danger" }),
        });
      }}
    >
      {LANGUAGES.map((lng) => (
        <option key={lng} value={lng} lang={lng}>
          {t(`languages.${lng}`)}
        </option>
      ))}
    </Select>
  );
}
