/**
 * A searchable list that loads page by page: the first page shows at once,
 * more load as the user scrolls (or presses "Load more").
 */
import * as React from 'react';
import type { IPage } from '../api';

export interface IPagedListProps<T> {
  id: string;
  label: string;
  searchLabel: string;
  emptyText: string;
  load: (search: string, marker: string | null) => Promise<IPage<T>>;
  keyOf: (item: T) => string;
  render: (item: T) => React.ReactNode;
  onChoose: (item: T) => void;
  /** Called before the refresh button reloads the list. */
  onRefresh?: () => void;
}

interface IListState<T> {
  items: T[];
  marker: string | null;
  loading: boolean;
  error: string | null;
}

export function PagedList<T>(props: IPagedListProps<T>): JSX.Element {
  const [search, setSearch] = React.useState('');
  const [state, setState] = React.useState<IListState<T>>({
    items: [],
    marker: null,
    loading: true,
    error: null
  });
  // Answers to an older search or refresh are dropped.
  const generation = React.useRef(0);

  const fetchPage = React.useCallback(
    async (reset: boolean, marker: string | null, text: string) => {
      const mine = reset ? ++generation.current : generation.current;
      setState(s => ({ ...s, loading: true, error: null }));
      try {
        const page = await props.load(text, marker);
        if (mine !== generation.current) {
          return;
        }
        setState(s => ({
          items: reset ? page.items : [...s.items, ...page.items],
          marker: page.marker,
          loading: false,
          error: null
        }));
      } catch (error) {
        if (mine === generation.current) {
          setState(s => ({
            ...s,
            loading: false,
            error: (error as Error).message
          }));
        }
      }
    },
    [props.load]
  );

  React.useEffect(() => {
    const timer = setTimeout(() => void fetchPage(true, null, search), 250);
    return () => clearTimeout(timer);
  }, [search, fetchPage]);

  const loadMore = () => {
    if (state.marker && !state.loading) {
      void fetchPage(false, state.marker, search);
    }
  };

  return (
    <div className="jp-EmrSchedule-picker" id={props.id}>
      <div className="jp-EmrSchedule-pickerBar">
        <input
          className="jp-mod-styled"
          type="search"
          aria-label={props.searchLabel}
          placeholder={props.searchLabel}
          value={search}
          onChange={e => setSearch(e.target.value)}
        />
        <button
          type="button"
          className="jp-mod-styled"
          aria-label={`Refresh ${props.label}`}
          title={`Refresh ${props.label}`}
          onClick={() => {
            props.onRefresh?.();
            void fetchPage(true, null, search);
          }}
        >
          ⟳
        </button>
      </div>
      <ul
        className="jp-EmrSchedule-pickerList"
        aria-label={props.label}
        aria-busy={state.loading}
        onScroll={e => {
          const el = e.currentTarget;
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - 24) {
            loadMore();
          }
        }}
      >
        {state.items.map(item => (
          <li key={props.keyOf(item)}>
            <button
              type="button"
              className="jp-EmrSchedule-pickerItem"
              onClick={() => props.onChoose(item)}
            >
              {props.render(item)}
            </button>
          </li>
        ))}
        {!state.loading && !state.error && state.items.length === 0 && (
          <li className="jp-EmrSchedule-muted">{props.emptyText}</li>
        )}
      </ul>
      {state.loading && (
        <div className="jp-EmrSchedule-muted" role="status">
          Loading {props.label}…
        </div>
      )}
      {state.error && (
        <div className="jp-EmrSchedule-error" role="alert">
          {state.error}
        </div>
      )}
      {state.marker && !state.loading && (
        <button type="button" className="jp-mod-styled" onClick={loadMore}>
          Load more
        </button>
      )}
    </div>
  );
}

export interface IBrowseButtonProps {
  open: boolean;
  /** The label that opens the list ("Browse clusters…"). */
  show: string;
  /** The label that closes it ("Hide clusters"). */
  hide: string;
  onToggle: () => void;
}

/** The button under a field that opens and closes its picker. */
export function BrowseButton(props: IBrowseButtonProps): JSX.Element {
  return (
    <button
      type="button"
      className="jp-mod-styled jp-EmrSchedule-browse"
      aria-expanded={props.open}
      onClick={props.onToggle}
    >
      {props.open ? props.hide : props.show}
    </button>
  );
}
