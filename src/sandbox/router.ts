import type { Method, Route } from './route.ts';

export interface Match {
  route: Route;
  params: Record<string, string>;
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

/** Matches request paths against the route table's templates (`/repos/{owner}/{repo}/issues`). */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    // Literal routes before greedy ones, so `/commits/{ref}/check-runs` wins over `/commits/{ref}`.
    const ordered = [...routes].sort((a, b) => Number(a.greedy ?? false) - Number(b.greedy ?? false));
    this.compiled = ordered.map((route) => {
      const names: string[] = [];
      const parts = route.path.split(/(\{[^}]+\})/).filter(Boolean);
      const source = parts
        .map((part, index) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          names.push(name);
          return route.greedy && index === parts.length - 1 ? '(.+)' : '([^/]+)';
        })
        .join('');
      return { route, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, path: string): Match | undefined {
    for (const { route, regex, names } of this.compiled) {
      if (route.method !== (method as Method)) continue;
      const m = regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route, params };
    }
    return undefined;
  }
}
