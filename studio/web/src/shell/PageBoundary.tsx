// Catches what a page throws — most often its code failing to load while
// the server is down — and says so instead of blanking the whole app. It
// resets when the user goes to another page.
import { Component, type ReactNode } from 'react';

type Props = { children: ReactNode; resetKey: string; message: string; retry: string };

export class PageBoundary extends Component<Props, { error: Error | null; key: string }> {
  state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="card" role="alert">
        <p>{this.props.message}</p>
        <p className="muted">{this.state.error.message}</p>
        <button type="button" onClick={() => location.reload()}>{this.props.retry}</button>
      </div>
    );
  }
}
