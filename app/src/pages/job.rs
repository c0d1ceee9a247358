//! `/portal/jobs/:id`: one job's live progress and, once it completes, its
//! zip and files. Progress is pushed by the server over server-sent events.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{job_details, message};
use crate::model::{FailedItem, FileLink, JobPage, JobSummary, Progress};
use crate::ui::{
    ErrorMessage, PortalNav, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, LINK_CLASS, PAGE_CLASS,
};

#[component]
pub fn JobDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let page = Resource::new(id, job_details);

    view! {
        <PortalNav />
        <section class=PAGE_CLASS>
            <Suspense fallback=|| view! { <p>"Loading the job…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(JobPage::Found { job, files, failures, archive_url }) => view! {
                            <FoundJob job files failures archive_url
                                on_finished=move || page.refetch() />
                        }.into_any(),
                        Ok(JobPage::Expired { id, expired_at }) => {
                            set_status(410);
                            view! { <ExpiredJob id expired_at /> }.into_any()
                        }
                        Ok(JobPage::NotFound) => {
                            set_status(404);
                            view! { <MissingJob /> }.into_any()
                        }
                        Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
fn FoundJob(
    job: JobSummary,
    files: Vec<FileLink>,
    failures: Vec<FailedItem>,
    archive_url: Option<String>,
    on_finished: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let (progress, set_progress) = signal(job.progress);
    if !job.progress.finished {
        follow_progress(job.id.clone(), set_progress, on_finished);
    }
    view! {
        <Title text=format!("{} · DocYard", job.description) />
        <h1 class=HEADING_CLASS>{job.description.clone()}</h1>
        <p class="mt-1 text-sm text-slate-600">
            {format!("Job {} · created {}", job.id, job.created_at)}
        </p>
        <div class=CARD_CLASS>
            <ProgressBar progress />
            {archive_url.map(|url| view! {
                <div class="mt-4 flex flex-wrap items-center gap-3">
                    <a href=url class=BUTTON_CLASS download="">"Download zip"</a>
                    {job.expires_at.map(|at| view! {
                        <span class="text-sm text-slate-600">
                            {format!("Available until {at}")}
                        </span>
                    })}
                </div>
            })}
        </div>
        {(!files.is_empty()).then(|| view! { <FileList files /> })}
        {(!failures.is_empty()).then(|| view! { <FailureList failures /> })}
    }
}

#[component]
fn ProgressBar(progress: ReadSignal<Progress>) -> impl IntoView {
    let percent = move || {
        let p = progress.get();
        if p.total == 0 {
            if p.finished {
                100
            } else {
                0
            }
        } else {
            (p.ready + p.errors) * 100 / p.total
        }
    };
    view! {
        <div>
            <div class="flex justify-between text-sm font-medium text-slate-800">
                <span id="progress-label">"Progress"</span>
                <span data-testid="progress-counts" aria-live="polite">
                    {move || {
                        let p = progress.get();
                        format!("{} ready · {} errors · {} total", p.ready, p.errors, p.total)
                    }}
                </span>
            </div>
            <div
                role="progressbar"
                aria-labelledby="progress-label"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent
                class="mt-2 h-3 w-full overflow-hidden rounded-full bg-slate-200"
            >
                <div
                    class="h-full rounded-full bg-teal-700 transition-[width]"
                    style=move || format!("width: {}%", percent())
                ></div>
            </div>
            <p class="mt-2 text-sm text-slate-700" data-testid="job-status">
                {move || if progress.get().finished { "Finished" } else { "Working…" }}
            </p>
        </div>
    }
}

#[component]
fn FileList(files: Vec<FileLink>) -> impl IntoView {
    view! {
        <div class=CARD_CLASS>
            <h2 class="text-lg font-semibold">"Files"</h2>
            <ul class="mt-2 divide-y divide-slate-100 text-sm">
                {files.into_iter().map(|file| view! {
                    <li class="flex justify-between gap-4 py-2">
                        <a class=format!("{LINK_CLASS} break-all") href=file.url>
                            {file.file_name}
                        </a>
                        <span class="whitespace-nowrap text-slate-600">{file.size}</span>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn FailureList(failures: Vec<FailedItem>) -> impl IntoView {
    view! {
        <div class=CARD_CLASS>
            <h2 class="text-lg font-semibold text-red-800">
                "Documents that could not be delivered"
            </h2>
            <ul class="mt-2 divide-y divide-slate-100 text-sm">
                {failures.into_iter().map(|item| view! {
                    <li class="py-2">
                        <span class="font-mono">{item.artifact_id}</span>": "{item.reason}
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn MissingJob() -> impl IntoView {
    view! {
        <Title text="Job not found · DocYard" />
        <h1 class=HEADING_CLASS>"Job not found"</h1>
        <p class="mt-4 text-slate-700">
            "There is no job of yours at this address. It may belong to someone else, \
             or the link may be mistyped."
        </p>
        <a href="/portal/jobs" class=format!("{BUTTON_CLASS} mt-6")>"See your jobs"</a>
    }
}

#[component]
fn ExpiredJob(id: String, expired_at: String) -> impl IntoView {
    view! {
        <Title text="Results expired · DocYard" />
        <h1 class=HEADING_CLASS>"These results have expired"</h1>
        <p class="mt-4 text-slate-700">
            {format!(
                "The documents of job {id} could be downloaded until {expired_at}. \
                 Create a new job to download them again."
            )}
        </p>
        <a href="/portal" class=format!("{BUTTON_CLASS} mt-6")>"Search again"</a>
    }
}

/// Listens to the job's event stream in the browser; the server renders
/// the progress as it was.
#[cfg(feature = "hydrate")]
fn follow_progress(
    id: String,
    set_progress: WriteSignal<Progress>,
    on_finished: impl Fn() + Send + Sync + 'static,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let Ok(source) = web_sys::EventSource::new(&format!("/portal/jobs/{id}/events")) else {
        return;
    };
    let stream = source.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let Some(data) = event.data().as_string() else {
                return;
            };
            let Ok(progress) = serde_json::from_str::<Progress>(&data) else {
                return;
            };
            set_progress.set(progress);
            if progress.finished {
                stream.close();
                on_finished();
            }
        });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The closure lives as long as the page; the stream is closed on leaving.
    on_message.forget();
    let source = StoredValue::new_local(source);
    on_cleanup(move || source.with_value(|s| s.close()));
}

#[cfg(not(feature = "hydrate"))]
fn follow_progress(
    _id: String,
    _set_progress: WriteSignal<Progress>,
    _on_finished: impl Fn() + Send + Sync + 'static,
) {
}
