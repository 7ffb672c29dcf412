// The header's link to the user's notices, with the number of unread ones. The count is
// in the text ("Notiser (3)") and in the accessible name ("Notiser, 3 olästa notiser"),
// not only in a colour or an icon.
import { NavLink } from "@remix-run/react";

export function unreadLabel(unread: number): string {
  return unread === 1 ? "1 oläst notis" : `${unread} olästa notiser`;
}

export function NoticeBell({ unread }: { unread: number }) {
  return (
    <NavLink to="/notiser" className="bell" aria-label={unread > 0 ? `Notiser, ${unreadLabel(unread)}` : undefined}>
      Notiser
      {unread > 0 ? <span className="bell-count"> ({unread})</span> : null}
    </NavLink>
  );
}
