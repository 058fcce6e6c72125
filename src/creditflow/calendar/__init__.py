"""Working days (工作日, with make-up days 调休) and calendar periods."""

from creditflow.calendar.periods import Period, PeriodUnit
from creditflow.calendar.workdays import CalendarDate, WorkdayCalendar, WorkdayCount

__all__ = ["CalendarDate", "Period", "PeriodUnit", "WorkdayCalendar", "WorkdayCount"]
