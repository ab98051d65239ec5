/** GitHub's page-number pagination: `per_page` (default 30, max 100), `page`, and a `link` header. */

export interface PageSlice {
  items: unknown[];
  link?: string;
}

export function paginate(all: readonly unknown[], requestUrl: URL): PageSlice {
  const perPageRaw = Number.parseInt(requestUrl.searchParams.get('per_page') ?? '', 10);
  const perPage = Number.isFinite(perPageRaw) && perPageRaw > 0 ? Math.min(perPageRaw, 100) : 30;
  const pageRaw = Number.parseInt(requestUrl.searchParams.get('page') ?? '', 10);
  const page = Number.isFinite(pageRaw) && pageRaw > 0 ? pageRaw : 1;
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  if (last === 1 && page === 1) return { items };
  const at = (n: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`<${at(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) rels.push(`<${at(page + 1)}>; rel="next"`);
  if (page < last) rels.push(`<${at(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${at(1)}>; rel="first"`);
  return rels.length > 0 ? { items, link: rels.join(', ') } : { items };
}
