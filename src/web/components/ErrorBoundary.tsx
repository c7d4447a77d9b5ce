// Keeps one broken section from blanking the whole page.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  what: string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`Dashboard section "${this.props.what}" crashed`, error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="banner banner-danger" role="alert">
          The {this.props.what} section failed to render: {this.state.error.message}{' '}
          <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
