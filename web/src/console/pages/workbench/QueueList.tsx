/**
 * One list from GET /queues/cases (which decides whose cases these are and in what order: by the next
 * deadline, priority groups first), a page at a time, with the columns the role's screen chooses.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo } from 'react';
import { api, ok, type QueueQuery, type QueueRow } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { announce } from '../../a11y';

const PAGE_SIZE = 50;

export function QueueList({
  query,
  columns,
  emptyText = '没有符合条件的案件',
  announceAs,
}: {
  /** null: nothing to list (every status this list may show was filtered out). */
  query: QueueQuery | null;
  columns: (asOf: number) => ColumnsType<QueueRow>;
  emptyText?: string;
  /** Says how many cases are shown when the list changes (for the page's main list only). */
  announceAs?: string;
}) {
  const queue = useInfiniteQuery({
    queryKey: ['queue', query],
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/queues/cases', {
          params: { query: { ...query, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: query !== null,
  });
  const rows = useMemo(
    () => (query === null ? [] : (queue.data?.pages.flatMap((p) => p.cases) ?? [])),
    [queue.data, query],
  );
  const cols = useMemo(() => columns(queue.dataUpdatedAt), [columns, queue.dataUpdatedAt]);
  useEffect(() => {
    if (announceAs && queue.isSuccess)
      announce(`${announceAs}已更新，显示 ${rows.length} 件${queue.hasNextPage ? '，还有更多' : ''}`);
  }, [announceAs, queue.isSuccess, rows.length, queue.hasNextPage]);

  return (
    <>
      {queue.isError ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={errorText(queue.error, '列表加载失败，请重试。')}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Table<QueueRow>
        rowKey="caseId"
        columns={cols}
        dataSource={rows}
        loading={query !== null && queue.isLoading}
        pagination={false}
        size="middle"
        locale={{ emptyText }}
      />
      <Space style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">已显示 {rows.length} 件</Typography.Text>
        {queue.hasNextPage ? (
          <Button onClick={() => void queue.fetchNextPage()} loading={queue.isFetchingNextPage}>
            加载更多
          </Button>
        ) : null}
      </Space>
    </>
  );
}
