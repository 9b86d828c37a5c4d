// The meeting-room calendar (FullCalendar, vendored): the room's week from the JSON feed; a
// dragged or tapped free time opens the booking form prefilled. Without script the page's list
// of free times books the same way.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hm(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function ymd(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function start() {
    var el = document.getElementById("room-calendar");
    if (!el || !window.FullCalendar) { return; }
    var data = el.dataset;
    var phone = window.matchMedia("(max-width: 576px)").matches;
    var zh = (data.locale || "").indexOf("zh") === 0;
    var calendar = new FullCalendar.Calendar(el, {
      initialView: phone ? "timeGridDay" : "timeGridWeek",
      initialDate: data.day,
      firstDay: 1,
      height: "auto",
      allDaySlot: false,
      nowIndicator: true,
      slotMinTime: data.opens,
      slotMaxTime: data.closes,
      slotDuration: { minutes: parseInt(data.slot, 10) || 30 },
      snapDuration: { minutes: parseInt(data.slot, 10) || 30 },
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      locale: zh ? "zh-cn" : "en",
      buttonText: zh ? { today: "今天", week: "周", day: "日" } : undefined,
      headerToolbar: { left: "prev,next today", center: "title", right: "timeGridWeek,timeGridDay" },
      selectable: true,
      selectMirror: true,
      selectOverlap: false,
      longPressDelay: 200,
      events: { url: data.feed },
      // The arrows' icons are decoration: the buttons carry their names (hints).
      buttonHints: zh ? { prev: "上一$0", next: "下一$0", today: "本$0" } : undefined,
      datesSet: function () {
        el.querySelectorAll(".fc-icon").forEach(function (icon) {
          icon.removeAttribute("role");
          icon.setAttribute("aria-hidden", "true");
        });
      },
      select: function (info) {
        var url = data.book + "?day=" + ymd(info.start) + "&start=" + hm(info.start) + "&end=" + hm(info.end);
        if (data.tenant) { url += "&tenant=" + encodeURIComponent(data.tenant); }
        window.location.href = url;
      }
    });
    calendar.render();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
