import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, DataTable, Dialog, EmptyState, Field, Input, Select, toast } from "@/components/ui";
import type { Column } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { useFormat } from "@/i18n/format";
import { apiErrorText, useAddPrice, useBillableOutputTypes, usePrices } from "../api/billing";
import type { Price } from "../api/billing";
import { formatMoney } from "./money";

/** The price list: a price per output type from a day on; tenant admins add prices. */
export function PriceList({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation("billing");
  const fmt = useFormat();
  const prices = usePrices();
  const columns: Array<Column<Price>> = [
    { key: "type", header: t("prices.outputType"), render: (row) => row.output_type_name },
    { key: "price", header: t("prices.unitPrice"), align: "right", render: (row) => formatMoney(row.unit_price, row.currency, fmt.language) },
    { key: "from", header: t("prices.validFrom"), render: (row) => fmt.date(row.valid_from) },
    { key: "to", header: t("prices.validTo"), render: (row) => (row.valid_to ? fmt.date(row.valid_to) : t("prices.open")) },
  ];
  return (
    <>
      <p className="muted">{t("prices.note")}</p>
      {canManage && <AddPrice />}
      {prices.error ? (
        <Alert>{apiErrorText(prices.error, t)}</Alert>
      ) : (
        <DataTable
          columns={columns}
          rows={prices.data ?? []}
          rowKey={(row) => row.id}
          empty={prices.isPending ? undefined : <EmptyState title={t("prices.empty")} />}
        />
      )}
    </>
  );
}

function AddPrice() {
  const { t } = useTranslation("billing");
  const [open, setOpen] = useState(false);
  const types = useBillableOutputTypes(open);
  const add = useAddPrice();
  const [typeId, setTypeId] = useState("");
  const [price, setPrice] = useState("");
  const [from, setFrom] = useState(() => new Date().toISOString().slice(0, 10));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      { output_type_id: typeId, unit_price: price, valid_from: from },
      {
        onSuccess: () => {
          setOpen(false);
          toast({ title: t("prices.added"), tone: "success" });
        },
      },
    );
  };

  return (
    <div className="billing-action">
      <Button onClick={() => { add.reset(); setOpen(true); }}>{t("prices.add")}</Button>
      <HelpTooltip entry="action.add_price" />
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={t("prices.addTitle")}
        footer={
          <>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              {t("confirm.cancel")}
            </Button>
            <Button variant="primary" type="submit" form="add-price" loading={add.isPending} disabled={!typeId || !price}>
              {t("prices.add")}
            </Button>
          </>
        }
      >
        <form id="add-price" onSubmit={submit} className="billing-form">
          <Field label={t("prices.outputType")}>
            <Select value={typeId} onChange={(event) => setTypeId(event.target.value)}>
              <option value="">{t("prices.pickType")}</option>
              {(types.data ?? []).map((type) => (
                <option key={type.id} value={type.id}>
                  {type.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("prices.unitPrice")}>
            <Input type="number" min="0" step="0.01" value={price} onChange={(event) => setPrice(event.target.value)} required />
          </Field>
          <Field label={t("prices.validFrom")}>
            <Input type="date" value={from} onChange={(event) => setFrom(event.target.value)} required />
          </Field>
          <p className="muted">{t("prices.note")}</p>
          {add.error && <Alert>{apiErrorText(add.error, t)}</Alert>}
        </form>
      </Dialog>
    </div>
  );
}
