/**
 * A chart with its table (docs/ui.md: "give every chart an HTML table beside it"): the figure's title, the chart
 * drawn as SVG with a description, and 以表格查看, which shows the same figures as an HTML table (a caption,
 * header cells with their scope) for a screen reader, a copy into a spreadsheet or a careful reading.
 */
import { Button } from 'antd';
import { useId, useState, type ReactNode } from 'react';

export type TableColumn = { key: string; header: string; numeric?: boolean };
export type TableRow = Record<string, string>;

export function ChartFigure({
  title,
  chart,
  columns,
  rows,
  actions,
  note,
}: {
  title: string;
  chart: ReactNode;
  columns: TableColumn[];
  rows: TableRow[];
  actions?: ReactNode;
  note?: ReactNode;
}) {
  const [asTable, setAsTable] = useState(false);
  const titleId = useId();
  return (
    <figure className="chart-figure" aria-labelledby={titleId}>
      <div className="chart-heading">
        <h3 id={titleId}>{title}</h3>
        <div className="chart-actions">
          {actions}
          <Button size="small" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            {asTable ? '以图形查看' : '以表格查看'}
          </Button>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="chart-empty">本期暂无数据。</p>
      ) : asTable ? (
        <DataTable caption={title} columns={columns} rows={rows} />
      ) : (
        chart
      )}
      {note ? <figcaption className="chart-note">{note}</figcaption> : null}
    </figure>
  );
}

export function DataTable({ caption, columns, rows }: { caption: string; columns: TableColumn[]; rows: TableRow[] }) {
  return (
    <div className="data-table-wrap">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c, j) =>
                j === 0 ? (
                  <th key={c.key} scope="row">
                    {r[c.key] ?? ''}
                  </th>
                ) : (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>
                    {r[c.key] ?? ''}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
