/** Why a CAD file failed, in words (what is wrong and what to do), with the converter's own words
 * folded underneath as "Details". */
export function CadFailure({ error, detail }: { error: string; detail?: string | null }) {
  return (
    <div className="cad-failure">
      <div data-testid="cad-error">{error}</div>
      {detail && detail !== error && (
        <details className="cad-failure__details">
          <summary>Details</summary>
          <pre data-testid="cad-error-detail">{detail}</pre>
        </details>
      )}
    </div>
  );
}
