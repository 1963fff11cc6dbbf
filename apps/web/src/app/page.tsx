import { ChatApp } from '../components/ChatApp.js';

/** The chat page (everything interactive lives in the client component). */
export default function Page() {
  return <ChatApp />;
}
