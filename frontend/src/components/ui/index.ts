// Automat's component kit. Import from "@/components/ui"; styles are in ui.css (CSS variables).
export { Alert } from "./Alert";
export { Badge, StatusPill, STATUS_TONES, statusLabel, statusTone } from "./Badge";
export type { Tone } from "./Badge";
export { Button } from "./Button";
export type { ButtonProps } from "./Button";
export { Card } from "./Card";
export { cx } from "./cx";
export { Dialog } from "./Dialog";
export { EmptyState } from "./EmptyState";
export { Field, Label } from "./Field";
export { Input, Select, Textarea } from "./Input";
export { PageHeader } from "./PageHeader";
export { ProgressBar } from "./ProgressBar";
export { PageSpinner, Spinner } from "./Spinner";
export { DataTable } from "./Table";
export type { Column } from "./Table";
export { Toaster } from "./Toaster";
export { dismissToast, toast } from "./toast-store";
