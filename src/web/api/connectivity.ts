// The connectivity log's endpoints (SPEC §3): states and events, and the availability strip.
import type { ConnectivityAvailabilityResponse, ConnectivityResponse } from '../../common/api.js';
import { apiRequest } from './client.js';

/** The strip the dialog shows: a day of quarter hours. */
export const STRIP_HOURS = 24;
export const STRIP_BUCKET_MIN = 15;
/** Enough of the log to cover a day of a quiet cluster; the server keeps up to 1000. */
export const LOG_LIMIT = 500;

export const connectivityKeys = {
  all: ['connectivity'] as const,
  log: ['connectivity', 'log', LOG_LIMIT] as const,
  availability: ['connectivity', 'availability', STRIP_HOURS, STRIP_BUCKET_MIN] as const,
};

export const getConnectivity = (signal?: AbortSignal) =>
  apiRequest<ConnectivityResponse>(`/api/connectivity?limit=${LOG_LIMIT}`, { signal });

export const getAvailability = (signal?: AbortSignal) =>
  apiRequest<ConnectivityAvailabilityResponse>(
    `/api/connectivity/availability?hours=${STRIP_HOURS}&bucket_min=${STRIP_BUCKET_MIN}`,
    { signal },
  );
