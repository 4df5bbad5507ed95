/** 导出 CSV / Excel: the same table the screen shows, as the API writes it (api/statistics-export.ts). */
import { App, Button } from 'antd';
import { useState } from 'react';
import { errorText } from '../../../api/problems';
import { announce } from '../../a11y';
import { saveBlob } from '../case/files';
import { fetchDownload, type Period } from './stats';

export function Downloads({
  what,
  period,
  name,
}: {
  what: Parameters<typeof fetchDownload>[0];
  period: Period;
  /** What is downloaded, for the buttons' accessible names (导出“登记量（按月份）”CSV). */
  name: string;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const download = async (format: 'csv' | 'xlsx') => {
    setBusy(format);
    try {
      const { blob, fileName } = await fetchDownload(what, period, format);
      saveBlob(blob, fileName);
      announce(`已导出 ${fileName}`);
    } catch (e) {
      void message.error(errorText(e, '导出失败，请重试。'));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <Button
        size="small"
        loading={busy === 'csv'}
        onClick={() => void download('csv')}
        aria-label={`导出“${name}”CSV`}
      >
        导出 CSV
      </Button>
      <Button
        size="small"
        loading={busy === 'xlsx'}
        onClick={() => void download('xlsx')}
        aria-label={`导出“${name}”Excel`}
      >
        导出 Excel
      </Button>
    </>
  );
}
