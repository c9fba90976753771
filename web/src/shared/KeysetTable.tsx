/**
 * A list read a page at a time (useKeysetList) as a compact table: the error in words above it,
 * "load more" under it while more are there. The list cards of the platform and webhook pages share it.
 */
import { Alert, Button, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { KeysetList } from './use-keyset-list.ts';

export function KeysetTable<T extends { id: number }>({
  list,
  columns,
  emptyText,
  loadMoreText,
  testId,
}: {
  list: Pick<KeysetList<T>, 'items' | 'hasMore' | 'loading' | 'error' | 'more'>;
  columns: ColumnsType<T>;
  emptyText: string;
  loadMoreText: string;
  testId: string;
}) {
  return (
    <>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<T>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText }}
        scroll={{ x: 'max-content' }}
        data-testid={testId}
      />
      {list.hasMore && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.more()} loading={list.loading}>
            {loadMoreText}
          </Button>
        </div>
      )}
    </>
  );
}
