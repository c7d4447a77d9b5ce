// The disk endpoints (SPEC §6) and their queries. The inventory is a server-side snapshot, so a
// slow poll is enough; a delete refreshes both queries with what the server scanned after it.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { DiskDeleteResponse, DiskResponse, DiskStatusResponse } from '../../../common/disk-api.js';
import { apiRequest } from '../../api/client.js';

const seg = encodeURIComponent;

export const diskKeys = {
  status: ['disk', 'models'] as const,
  nodes: ['disk', 'nodes'] as const,
};

export const getDiskStatus = (signal?: AbortSignal) =>
  apiRequest<DiskStatusResponse>('/api/models/disk-status', { signal });
export const getDisk = (signal?: AbortSignal) => apiRequest<DiskResponse>('/api/disk', { signal });
export const deleteModelDisk = (key: string) =>
  apiRequest<DiskDeleteResponse>(`/api/models/${seg(key)}/disk`, { method: 'DELETE' });
export const deleteRepoDisk = (node: string, repo: string) => {
  const [org = '', name = ''] = repo.split('/');
  return apiRequest<DiskDeleteResponse>(`/api/disk/${seg(node)}/${seg(org)}/${seg(name)}`, {
    method: 'DELETE',
  });
};

export function useDiskStatus<T>(select: (r: DiskStatusResponse) => T) {
  return useQuery({
    queryKey: diskKeys.status,
    queryFn: ({ signal }) => getDiskStatus(signal),
    refetchInterval: 30_000,
    select,
  });
}

export function useDisk() {
  return useQuery({
    queryKey: diskKeys.nodes,
    queryFn: ({ signal }) => getDisk(signal),
    refetchInterval: 30_000,
  });
}

export function refreshDiskQueries(client: QueryClient): void {
  // Fire-and-forget: a failed refetch shows on the query itself.
  void client.invalidateQueries({ queryKey: ['disk'] });
}
